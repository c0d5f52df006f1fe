namespace Enforcement.Media.Tests.Infrastructure;

/// <summary>
/// Runs the real <c>ingest</c> program (built beside the tests) as a separate process, configured
/// through environment variables exactly as an operator would: the command form, exit code included.
/// </summary>
public static class IngestCli
{
    public static Task<(int ExitCode, string Output, string Error)> RunAsync(
        IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var program = Path.Combine(AppContext.BaseDirectory, "Enforcement.Media.Ingest.dll");
        var settings = new Dictionary<string, string>(environment)
        {
            ["Serilog__MinimumLevel__Default"] = "Warning",
            ["DOTNET_NOLOGO"] = "1",
        };
        return ExternalCommand.RunAsync("dotnet", [program, .. arguments], settings, AppContext.BaseDirectory, cancellationToken);
    }
}
