namespace Enforcement.Media.Player.Statistics;

/// <summary>
/// How long footage took from the recorder to storage (<see cref="Recordings.StorageDelay"/>), over the
/// recordings whose recorder reported a start (<paramref name="Measured"/>); null percentiles when none did.
/// <paramref name="Late"/> recordings took longer than <c>Statistics:LateDocking</c>; <paramref name="LateRecorders"/>
/// is how many recorders (serials, in any letter case) brought them.
/// </summary>
public sealed record StorageDelayFigures(long Measured, double? P50Seconds, double? P95Seconds, long Late, long LateRecorders)
{
    public static readonly StorageDelayFigures None = new(0, null, null, 0, 0);
}
