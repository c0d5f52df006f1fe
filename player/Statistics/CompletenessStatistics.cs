using Dapper;
using Enforcement.Media.Storage.Cases;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Enforcement.Media.Player.Statistics;

/// <summary>
/// Completeness of full-recording activities (执法全过程记录): the activities and the spans of their footage are
/// read by the catalogue, and each activity is judged by the case report's own rule
/// (<see cref="CompletenessService.Judge"/>), so a figure here and a case page never disagree about an activity.
/// </summary>
public sealed class CompletenessStatistics(NpgsqlDataSource dataSource, IOptions<CasesOptions> options)
{
    /// <summary>Every full-recording activity of the scope that started in the period, judged, in start order.</summary>
    public async Task<IReadOnlyList<JudgedActivity>> JudgeAsync(StatisticsScope scope, CancellationToken cancellationToken)
    {
        const string sql = $"""
            WITH {StatisticsSql.UnitGroups}
            SELECT a.id, a.case_id, a.stage_id, st.stage_code, a.external_id, a.activity_type AS type, a.starts_at, a.ends_at, a.place, a.officers,
                   c.case_number, c.unit_code AS case_unit, ug.group_key AS unit_group,
                   to_char(e.event_at AT TIME ZONE @zone::text, 'YYYY-MM-DD') AS day,
                   to_char(e.event_at AT TIME ZONE @zone::text, 'YYYY-MM') AS month
            FROM {StatisticsSql.ActivitiesSource}
            LEFT JOIN unit_groups ug ON ug.unit_code = c.unit_code
            WHERE {StatisticsSql.ActivitiesWhere}
            ORDER BY a.starts_at, a.id
            """;
        var parameters = new DynamicParameters(scope.Parameters);
        parameters.Add("fullTypes", options.Value.FullRecordingTypes.ToArray());
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<ActivityRow, ActivityGroups, (ActivityRow Activity, ActivityGroups Groups)>(
            new CommandDefinition(sql, parameters, cancellationToken: cancellationToken), (activity, groups) => (activity, groups), splitOn: "case_number")).ToList();
        var spans = await LinkStore.ActivitySpansAsync(connection, [.. rows.Select(r => r.Activity.Id)], cancellationToken);
        return [.. rows.Select(r => new JudgedActivity(
            r.Groups.CaseNumber, r.Groups.CaseUnit, CompletenessService.Judge(r.Activity.ToRecord(), spans[r.Activity.Id], options.Value), r.Groups.UnitGroup, r.Groups.Day, r.Groups.Month))];
    }

    /// <summary>The figures of the whole and of each group of <paramref name="groupBy"/>; an activity naming two officers counts for each, and once in the whole.</summary>
    public static Grouped<FullRecordingFigures> Count(IReadOnlyList<JudgedActivity> activities, string groupBy) =>
        new(
            Figures(activities),
            activities.SelectMany(a => a.Keys(groupBy).Select(key => (Key: key, Activity: a)))
                .GroupBy(p => p.Key, StringComparer.Ordinal)
                .Select(g => (g.Key, Figures([.. g.Select(p => p.Activity)]))));

    private static FullRecordingFigures Figures(IReadOnlyList<JudgedActivity> activities)
    {
        var complete = activities.Count(a => a.Judgement.Complete);
        return new FullRecordingFigures(
            activities.Count,
            complete,
            activities.Count - complete,
            activities.Count(a => a.Judgement.Gaps.Count > 0),
            activities.Sum(a => a.Judgement.Gaps.Count),
            activities.Count == 0 ? null : Math.Round((double)complete / activities.Count, 4));
    }

    /// <summary>What a statistics activity row carries after the activity itself: its case and the groups it counts in.</summary>
    private sealed record ActivityGroups(string CaseNumber, string? CaseUnit, string? UnitGroup, string Day, string Month);
}
