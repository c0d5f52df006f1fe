namespace Enforcement.Media.Storage.Retention;

/// <summary>Everything the retention policy looks at for one recording, read from the catalogue in one go.</summary>
public sealed record RetentionFacts(
    Guid RecordingId,
    DateTimeOffset IngestedAt,
    DateTimeOffset? RecorderStartedAt,
    DateTimeOffset CurrentRetainUntil,
    IReadOnlyList<string> RecordingFlags,
    int ActiveManualHolds,
    IReadOnlyList<LinkedCaseFacts> Cases);
