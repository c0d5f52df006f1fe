using Enforcement.Media.Player.Refusals;

namespace Enforcement.Media.Player.Recorders;

/// <summary>A change to the recorder register refused as asked; <paramref name="field"/> names the input to fix, when there is one.</summary>
public sealed class RecorderRefusedException(Refusal kind, string message, string? field = null, IReadOnlyDictionary<string, string[]>? errors = null)
    : RefusedException(kind, message, field)
{
    public override IReadOnlyDictionary<string, string[]>? Errors => errors;

    /// <summary>Unknown and another unit's answer alike: the register of other units is not shown.</summary>
    public static RecorderRefusedException NotFound(string serial) => new(Refusal.NotFound, $"There is no recorder {serial} among those of your unit and the units under it.");
}
