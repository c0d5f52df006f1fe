namespace Enforcement.Media.Storage.Startup;

/// <summary>
/// A start-up check failed in a way an operator fixes in configuration or infrastructure.
/// <see cref="Setting"/> names the configuration key to look at; the process exits non-zero.
/// </summary>
public sealed class StartupCheckException(string setting, string message, Exception? inner = null)
    : Exception($"{message} (check setting '{setting}')", inner)
{
    public string Setting { get; } = setting;
}
