namespace Enforcement.Media.Storage.Retention;

/// <summary>
/// One difference between what the store holds and what the catalogue and policy say.
/// <paramref name="Kind"/>: <c>missing</c> (the store has no such object), <c>shorter</c> (the store's
/// lock ends earlier than it must), <c>hold</c> (legal hold differs), <c>catalogue-behind</c> (the
/// store is locked longer than the catalogue records — harmless, recorded).
/// </summary>
public sealed record RetentionDrift(
    Guid RecordingId,
    Guid ObjectId,
    string ObjectKey,
    string Kind,
    string Detail,
    bool Repaired);
