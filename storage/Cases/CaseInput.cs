namespace Enforcement.Media.Storage.Cases;

/// <summary>
/// A case as the agency's case system sends it (JSON API or a CSV import). Sending the same case
/// again is idempotent: the case number identifies it, the latest data wins, and activities are
/// identified by the case system's own ids.
/// </summary>
public sealed record CaseInput(
    string CaseNumber,
    string? UnitCode,
    string? Subject,
    string? EnforcementType,
    string Status,
    DateTimeOffset OpenedAt,
    DateTimeOffset? ClosedAt,
    DateTimeOffset? ArchivedAt,
    IReadOnlyList<string> Flags,
    IReadOnlyList<ActivityInput> Activities);
