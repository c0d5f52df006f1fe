namespace Enforcement.Media.Player.Approvals;

/// <summary>A request to view one classified recording, and its decision.</summary>
public sealed record ViewApproval(
    Guid Id,
    Guid RecordingId,
    string RecordingName,
    string Classification,
    Guid RequestedBy,
    string RequestedByActor,
    DateTimeOffset RequestedAt,
    string Reason,
    string State,
    string? DecidedByActor,
    DateTimeOffset? DecidedAt,
    string? DecisionReason,
    DateTimeOffset? ExpiresAt);
