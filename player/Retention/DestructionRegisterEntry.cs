namespace Enforcement.Media.Player.Retention;

/// <summary>
/// One line of the destruction register (销毁清册): what was destroyed — the recording, its original's SHA-256,
/// size and name, its cases and every object version deleted —, when, on whose proposal and whose approval,
/// under which retention rule, and what the store answered (the tombstone's proof). Disposals decided by one
/// records manager before the two-person rule have no proposer.
/// </summary>
public sealed record DestructionRegisterEntry(
    DateTimeOffset DisposedAt,
    Guid RecordingId,
    string OriginalName,
    string Sha256,
    long SizeBytes,
    IReadOnlyList<string> CaseNumbers,
    string RetentionClass,
    string? RetentionRule,
    DateTimeOffset RetainedUntil,
    string? ProposedBy,
    DateTimeOffset? ProposedAt,
    string? ProposalReason,
    string? ApprovedBy,
    DateTimeOffset? ApprovedAt,
    string? ApprovalReason,
    IReadOnlyList<string> DeletedObjects,
    string StoreConfirmation);
