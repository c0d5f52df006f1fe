namespace Enforcement.Media.Player.Statistics;

/// <summary>
/// Activities that must be recorded in full (<c>Cases:FullRecordingActivityTypes</c>) that started in the period,
/// judged by the case report's own rule (<see cref="Storage.Cases.ActivityCompleteness.Complete"/>): complete when
/// linked footage covers the window with no gap longer than <c>Cases:GapThreshold</c>. <paramref name="WithGaps"/>
/// activities have at least one such gap, <paramref name="Gaps"/> is how many gaps in all, and
/// <paramref name="CompleteShare"/> the share complete (null when there were none to judge).
/// </summary>
public sealed record FullRecordingFigures(long Activities, long Complete, long Incomplete, long WithGaps, long Gaps, double? CompleteShare)
{
    public static readonly FullRecordingFigures None = new(0, 0, 0, 0, 0, null);
}
