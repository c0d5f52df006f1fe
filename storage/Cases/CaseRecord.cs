namespace Enforcement.Media.Storage.Cases;

/// <summary>A case as the catalogue holds it.</summary>
public sealed record CaseRecord(
    Guid Id,
    string CaseNumber,
    string? UnitCode,
    string? Subject,
    string? EnforcementType,
    string Status,
    DateTimeOffset OpenedAt,
    DateTimeOffset? ClosedAt,
    DateTimeOffset? ArchivedAt,
    IReadOnlyList<string> Flags,
    DateTimeOffset? ReopenedAt);
