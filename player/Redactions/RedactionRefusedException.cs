using Enforcement.Media.Player.Refusals;

namespace Enforcement.Media.Player.Redactions;

/// <summary>A redaction or publication action refused as asked; <paramref name="field"/> names the input to fix, when there is one.</summary>
public sealed class RedactionRefusedException(Refusal kind, string message, string? field = null) : RefusedException(kind, message, field)
{
    /// <summary>Unknown and not visible answer alike, as for recordings.</summary>
    public static RedactionRefusedException NotFound(string what) => new(Refusal.NotFound, $"There is no such {what} among those you may see.");
}
