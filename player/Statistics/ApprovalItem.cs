namespace Enforcement.Media.Player.Statistics;

/// <summary>A viewing approval as <c>/statistics/rows</c> lists it.</summary>
public sealed record ApprovalItem(
    Guid ApprovalId,
    Guid RecordingId,
    string RecordingName,
    string? UnitCode,
    string? OfficerId,
    string Classification,
    string RequestedBy,
    DateTimeOffset RequestedAt,
    string Reason,
    string State,
    string? DecidedBy,
    DateTimeOffset? DecidedAt,
    string? DecisionReason);
