namespace Enforcement.Media.Storage.Retention;

/// <summary>
/// An open entry of the disposition queue: a recording past its period waiting for a proposal
/// (<c>pending</c>), or proposed by a records manager and waiting for a second one (<c>proposed</c>).
/// </summary>
public sealed record DispositionCandidate(
    Guid QueueId,
    Guid RecordingId,
    string Sha256,
    string OriginalName,
    string RetentionClass,
    DateTimeOffset RetainedUntil,
    DateTimeOffset QueuedAt,
    string State,
    string? ProposedBy,
    DateTimeOffset? ProposedAt,
    string? ProposalReason);
