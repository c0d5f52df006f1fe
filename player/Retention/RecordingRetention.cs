using Enforcement.Media.Storage.Retention;

namespace Enforcement.Media.Player.Retention;

/// <summary>
/// Everything a records manager needs to judge one recording's retention: what the catalogue holds,
/// why (the policy's reasons), every hold, the lock each object has at the store, and every
/// disposition decision. <paramref name="Plan"/> is null once the recording has been disposed of.
/// </summary>
public sealed record RecordingRetention(
    Guid RecordingId,
    string Sha256,
    long Size,
    string OriginalName,
    string Classification,
    string RetentionClass,
    DateTimeOffset RetainUntil,
    bool LegalHold,
    IReadOnlyList<string> Flags,
    DateTimeOffset IngestedAt,
    IReadOnlyList<string> CaseNumbers,
    DateTimeOffset? DisposedAt,
    string? DisposedBy,
    string? DisposalReason,
    RetentionPlan? Plan,
    IReadOnlyList<LegalHoldRecord> Holds,
    IReadOnlyList<StoredLock> Objects,
    IReadOnlyList<DispositionDecision> Decisions);
