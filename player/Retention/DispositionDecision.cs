namespace Enforcement.Media.Player.Retention;

/// <summary>
/// An entry of the disposition queue: waiting, proposed, or decided (disposed, refused — by the second records
/// manager, the policy or the store —, or withdrawn once no longer eligible), with who proposed it and who decided.
/// </summary>
public sealed record DispositionDecision(
    Guid RecordingId,
    string OriginalName,
    string State,
    DateTimeOffset QueuedAt,
    string? ProposedBy,
    DateTimeOffset? ProposedAt,
    string? ProposalReason,
    string? DecidedBy,
    DateTimeOffset? DecidedAt,
    string? Reason,
    string? Outcome);
