using Enforcement.Media.Storage.Cases;

namespace Enforcement.Media.Player.Statistics;

/// <summary>
/// A full-recording activity with the case report's judgement of it, and the groups it counts in: its case's
/// unit group (<see cref="StatisticsSql.UnitGroups"/>), each officer it names, the local day and month it started.
/// </summary>
public sealed record JudgedActivity(string CaseNumber, string? CaseUnit, ActivityCompleteness Judgement, string? UnitGroup, string Day, string Month)
{
    /// <summary>The groups of <paramref name="groupBy"/> this activity counts in (none by recorder: an activity has no recorder of its own).</summary>
    public IEnumerable<string?> Keys(string groupBy) => groupBy switch
    {
        StatisticsFilter.ByUnit => [UnitGroup],
        StatisticsFilter.ByOfficer => Judgement.Officers.Distinct(StringComparer.Ordinal).Select(officer => (string?)officer),
        StatisticsFilter.ByDay => [Day],
        StatisticsFilter.ByMonth => [Month],
        _ => [],
    };
}
