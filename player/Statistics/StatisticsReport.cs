namespace Enforcement.Media.Player.Statistics;

/// <summary>
/// The answer of <c>GET /api/v1/statistics</c>: what was counted (the local days, the zone, the unit — the
/// caller's own when none was asked for —, the filters, the grouping, the lateness threshold), the figures of
/// the whole, those of each group, and the viewings by role and by reason (null for a caller who may not read
/// the ledger).
/// </summary>
public sealed record StatisticsReport(
    string From,
    string To,
    string TimeZone,
    string? Unit,
    string? UnitName,
    bool Subunits,
    string? Officer,
    string? Recorder,
    string GroupBy,
    string LateDocking,
    GroupFigures Total,
    IReadOnlyList<StatisticsGroup> Groups,
    IReadOnlyList<CountedValue>? ViewingsByRole,
    IReadOnlyList<CountedValue>? ViewingsByReason);
