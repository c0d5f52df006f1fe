namespace Enforcement.Media.Storage.Cases;

/// <summary>How well one activity is recorded. Gaps are listed only for activities that require full recording.</summary>
public sealed record ActivityCompleteness(
    Guid ActivityId,
    string ExternalId,
    string Stage,
    string Type,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    IReadOnlyList<string> Officers,
    bool RequiresFullRecording,
    double WindowSeconds,
    double CoveredSeconds,
    IReadOnlyList<CoverageGap> Gaps,
    IReadOnlyList<RecordingSpan> Recordings)
{
    public double CoverageRatio => WindowSeconds <= 0 ? (Recordings.Count > 0 ? 1 : 0) : Math.Round(CoveredSeconds / WindowSeconds, 4);

    public bool Complete => !RequiresFullRecording || (Gaps.Count == 0 && Recordings.Count > 0);
}
