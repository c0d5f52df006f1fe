namespace Enforcement.Media.Player.Statistics;

/// <summary>
/// Footage recorded in the period: how many recordings, their hours (probed durations; footage not yet probed
/// counts none) and bytes, and how many of them are quarantined (a delivery that could not be verified).
/// </summary>
public sealed record RecordingFigures(long Count, double Hours, long Bytes, long Quarantined)
{
    public static readonly RecordingFigures None = new(0, 0, 0, 0);
}
