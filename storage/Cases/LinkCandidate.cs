namespace Enforcement.Media.Storage.Cases;

/// <summary>A recording as the automatic linker weighs it: when it ran, and whose unit it is.</summary>
/// <param name="UnitCode">The recording's own unit, as its delivery gave it; null when it came with none.</param>
/// <param name="OfficerUnitCode">Its officer's unit in the officer registry; null when the officer is not registered with one.</param>
public sealed record LinkCandidate(RecordingSpan Span, string? UnitCode, string? OfficerUnitCode)
{
    /// <summary>
    /// The unit whose cases it may be linked to automatically: its own, or — only for a recording of
    /// no unit — its officer's registered one. Null when neither is known: then it links to no case.
    /// </summary>
    public string? LinkUnit => UnitCode ?? OfficerUnitCode;
}
