namespace Enforcement.Media.Player.Cases;

/// <summary>One row of the case search: the case and how much footage is linked to it.</summary>
public sealed record CaseHit(
    string CaseNumber,
    string? Subject,
    string? EnforcementType,
    string Status,
    string? UnitCode,
    DateTimeOffset OpenedAt,
    DateTimeOffset? ClosedAt,
    long Recordings);
