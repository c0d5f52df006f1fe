using Enforcement.Media.Player.Visibility;

namespace Enforcement.Media.Player.Statistics;

/// <summary>
/// A statistics request resolved against the unit tree: whose figures (<paramref name="Viewer"/>, by the
/// one visibility rule), which units' (<paramref name="Units"/>: the unit asked for, or the caller's own,
/// with every unit under it unless asked otherwise; null only for a caller of no unit who named none), and
/// whether the figures about people — viewings, approvals, exports — are the caller's to read.
/// </summary>
/// <param name="Root">The unit whose direct sub-units are the groups of <c>groupBy=unit</c>; null: the top-level units.</param>
/// <param name="Oversight">True when the caller may read the access ledger, and so these figures.</param>
/// <param name="Children">The direct sub-units of <paramref name="Root"/>: with it, the groups by unit, shown even when nothing happened in them.</param>
public sealed record StatisticsScope(Viewer Viewer, StatisticsFilter Filter, string? Root, IReadOnlyList<string>? Units, bool Oversight, IReadOnlyList<string> Children)
{
    public StatisticsPeriod Period => Filter.Period;

    /// <summary>
    /// The parameters every statistics query shares (<see cref="StatisticsSql"/>): the viewer for the visibility
    /// rule, the narrowing, the window in UTC, the grouping and the zone whose days it groups by.
    /// </summary>
    public object Parameters => new
    {
        viewerId = Viewer.UserId,
        viewerUnit = Viewer.UnitCode,
        root = Root,
        units = Units?.ToArray(),
        officer = Filter.Officer,
        recorder = Filter.Recorder,
        from = Period.Start.UtcDateTime,
        to = Period.End.UtcDateTime,
        groupBy = Filter.GroupBy,
        zone = Period.ZoneName,
    };
}
