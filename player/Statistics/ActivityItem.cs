namespace Enforcement.Media.Player.Statistics;

/// <summary>A full-recording activity as <c>/statistics/rows</c> lists it: its case, window, officers and how well it is recorded.</summary>
public sealed record ActivityItem(
    string CaseNumber,
    string? CaseUnit,
    string ExternalId,
    string Stage,
    string Type,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    IReadOnlyList<string> Officers,
    int Recordings,
    double CoverageRatio,
    int Gaps,
    bool Complete);
