using Dapper;
using Enforcement.Media.Player.Ledger;
using Enforcement.Media.Player.Recordings;
using Npgsql;

namespace Enforcement.Media.Player.Statistics;

/// <summary>
/// The figures the catalogue counts, each in one grouped query over the caller's scope (<see cref="StatisticsSql"/>):
/// recordings with their hours, bytes, quarantine, delay to storage and late docking; dispositions; fixity
/// findings; and the figures about people (调阅监督) — viewings by group, role and reason, viewing approvals,
/// exports — counted the way the ledger, the approvals and the export register list them.
/// </summary>
public sealed class StatisticsStore(NpgsqlDataSource dataSource)
{
    /// <summary>The most frequent reasons listed; the rest are in the ledger.</summary>
    public const int TopReasons = 10;

    /// <summary>Recordings that started in the period, with their hours, bytes, quarantine and delay to storage.</summary>
    public async Task<(Grouped<RecordingFigures> Recordings, Grouped<StorageDelayFigures> Delay)> RecordingsAsync(
        StatisticsScope scope, TimeSpan lateDocking, CancellationToken cancellationToken)
    {
        // percentile_cont leaves out recordings with no recorder time (their delay is null) as it should: their
        // start is the ingest itself. Late recorders are told apart by serial in any letter case, as the register does.
        const string sql = $"""
            WITH {StatisticsSql.UnitGroups}
            SELECT {StatisticsSql.GroupColumns},
                   count(*) AS recordings,
                   coalesce(sum(p.duration_seconds), 0) / 3600 AS hours,
                   coalesce(sum(r.size_bytes), 0)::bigint AS bytes,
                   count(*) FILTER (WHERE r.quarantine_reason IS NOT NULL) AS quarantined,
                   count(d.delay) AS measured,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY d.delay) AS p50,
                   percentile_cont(0.95) WITHIN GROUP (ORDER BY d.delay) AS p95,
                   count(*) FILTER (WHERE d.delay > @lateSeconds) AS late,
                   count(DISTINCT upper(btrim(r.device_serial))) FILTER (WHERE d.delay > @lateSeconds) AS late_recorders
            FROM {StatisticsSql.RecordingsSource}
            LEFT JOIN media_probes p ON p.recording_id = r.id
            CROSS JOIN LATERAL (SELECT {StorageDelay.Seconds} AS delay) d
            {StatisticsSql.GroupJoins}
            WHERE {StatisticsSql.RecordingsWhere}
            {StatisticsSql.GroupingSets}
            """;
        var parameters = new DynamicParameters(scope.Parameters);
        parameters.Add("lateSeconds", lateDocking.TotalSeconds);
        var rows = await QueryAsync<RecordingRow>(sql, parameters, cancellationToken);
        return (
            GroupedRow.Collect(rows, r => new RecordingFigures(r.Recordings, r.Hours, r.Bytes, r.Quarantined), RecordingFigures.None),
            GroupedRow.Collect(rows, r => new StorageDelayFigures(r.Measured, r.P50, r.P95, r.Late, r.LateRecorders), StorageDelayFigures.None));
    }

    /// <summary>Recordings disposed of in the period.</summary>
    public async Task<Grouped<long>> DispositionsAsync(StatisticsScope scope, CancellationToken cancellationToken)
    {
        const string sql = $"""
            WITH {StatisticsSql.UnitGroups}
            SELECT {StatisticsSql.GroupColumns}, count(*) AS count
            FROM {StatisticsSql.DispositionsSource}
            {StatisticsSql.GroupJoins}
            WHERE {StatisticsSql.DispositionsWhere}
            {StatisticsSql.GroupingSets}
            """;
        return GroupedRow.Collect(await QueryAsync<CountRow>(sql, scope.Parameters, cancellationToken), r => r.Count, 0L);
    }

    /// <summary>Fixity findings of the period, by outcome.</summary>
    public async Task<Grouped<FixityFigures>> FixityAsync(StatisticsScope scope, CancellationToken cancellationToken)
    {
        const string sql = $"""
            WITH {StatisticsSql.UnitGroups}
            SELECT {StatisticsSql.GroupColumns},
                   count(*) AS findings,
                   count(*) FILTER (WHERE f.outcome = 'mismatch') AS mismatch,
                   count(*) FILTER (WHERE f.outcome = 'missing') AS missing,
                   count(*) FILTER (WHERE f.outcome = 'unreadable') AS unreadable
            FROM {StatisticsSql.FixitySource}
            {StatisticsSql.GroupJoins}
            WHERE {StatisticsSql.FixityWhere}
            {StatisticsSql.GroupingSets}
            """;
        var rows = await QueryAsync<FixityRow>(sql, scope.Parameters, cancellationToken);
        return GroupedRow.Collect(rows, r => new FixityFigures(r.Findings, r.Mismatch, r.Missing, r.Unreadable), FixityFigures.None);
    }

    /// <summary>Viewings that started in the period.</summary>
    public async Task<Grouped<long>> ViewingsAsync(StatisticsScope scope, CancellationToken cancellationToken)
    {
        const string sql = $"""
            WITH {StatisticsSql.UnitGroups}
            SELECT {StatisticsSql.GroupColumns}, count(*) AS count
            FROM {StatisticsSql.ViewingsSource}
            {StatisticsSql.GroupJoins}
            WHERE {StatisticsSql.ViewingsWhere}
            {StatisticsSql.GroupingSets}
            """;
        return GroupedRow.Collect(await QueryAsync<CountRow>(sql, scope.Parameters, cancellationToken), r => r.Count, 0L);
    }

    /// <summary>
    /// Viewings by the role of their viewer (<see cref="ViewerRole"/>), and the <see cref="TopReasons"/> reasons (事由)
    /// given most often, exactly as given (the player stores them trimmed); each most first.
    /// </summary>
    public async Task<(IReadOnlyList<(string Role, long Count)> ByRole, IReadOnlyList<(string Reason, long Count)> ByReason)> ViewingsByRoleAndReasonAsync(
        StatisticsScope scope, CancellationToken cancellationToken)
    {
        const string byRole = $"""
            SELECT {ViewerRole.Sql} AS role, count(*) AS count
            FROM {StatisticsSql.ViewingsSource}
            WHERE {StatisticsSql.ViewingsWhere}
            GROUP BY 1
            ORDER BY 2 DESC, 1
            """;
        const string byReason = $"""
            SELECT s.reason, count(*) AS count
            FROM {StatisticsSql.ViewingsSource}
            WHERE {StatisticsSql.ViewingsWhere}
            GROUP BY s.reason
            ORDER BY 2 DESC, 1
            LIMIT @top
            """;
        var parameters = new DynamicParameters(scope.Parameters);
        parameters.Add("top", TopReasons);
        return (await QueryAsync<(string, long)>(byRole, parameters, cancellationToken), await QueryAsync<(string, long)>(byReason, parameters, cancellationToken));
    }

    /// <summary>Viewing approvals asked for in the period, and their state now.</summary>
    public async Task<Grouped<ApprovalFigures>> ApprovalsAsync(StatisticsScope scope, CancellationToken cancellationToken)
    {
        const string sql = $"""
            WITH {StatisticsSql.UnitGroups}
            SELECT {StatisticsSql.GroupColumns},
                   count(*) AS asked,
                   count(*) FILTER (WHERE a.state = 'approved') AS granted,
                   count(*) FILTER (WHERE a.state = 'denied') AS refused,
                   count(*) FILTER (WHERE a.state = 'requested') AS pending
            FROM {StatisticsSql.ApprovalsSource}
            {StatisticsSql.GroupJoins}
            WHERE {StatisticsSql.ApprovalsWhere}
            {StatisticsSql.GroupingSets}
            """;
        var rows = await QueryAsync<ApprovalRow>(sql, scope.Parameters, cancellationToken);
        return GroupedRow.Collect(rows, r => new ApprovalFigures(r.Asked, r.Granted, r.Refused, r.Pending), ApprovalFigures.None);
    }

    /// <summary>Export requests made in the period, and their state now; a request counts once in a group however many of its recordings fall in it.</summary>
    public async Task<Grouped<ExportFigures>> ExportsAsync(StatisticsScope scope, CancellationToken cancellationToken)
    {
        const string sql = $"""
            WITH {StatisticsSql.UnitGroups}
            SELECT {StatisticsSql.GroupColumns},
                   count(DISTINCT x.id) AS requested,
                   count(DISTINCT x.id) FILTER (WHERE {StatisticsSql.ExportApproved}) AS approved,
                   count(DISTINCT x.id) FILTER (WHERE x.state = 'denied') AS denied,
                   count(DISTINCT x.id) FILTER (WHERE x.state = 'requested') AS pending,
                   count(DISTINCT x.id) FILTER (WHERE x.downloaded_at IS NOT NULL) AS downloaded
            FROM {StatisticsSql.ExportsSource}
            {StatisticsSql.GroupJoins}
            WHERE {StatisticsSql.ExportsWhere}
            {StatisticsSql.GroupingSets}
            """;
        var rows = await QueryAsync<ExportRow>(sql, scope.Parameters, cancellationToken);
        return GroupedRow.Collect(rows, r => new ExportFigures(r.Requested, r.Approved, r.Denied, r.Pending, r.Downloaded), ExportFigures.None);
    }

    /// <summary>Each query on a connection of its own, so that the service can run them at once.</summary>
    private async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<T>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken))];
    }

    private sealed record RecordingRow(
        bool IsTotal, string? GroupKey, long Recordings, double Hours, long Bytes, long Quarantined, long Measured, double? P50, double? P95, long Late, long LateRecorders)
        : GroupedRow(IsTotal, GroupKey);

    private sealed record FixityRow(bool IsTotal, string? GroupKey, long Findings, long Mismatch, long Missing, long Unreadable) : GroupedRow(IsTotal, GroupKey);

    private sealed record ApprovalRow(bool IsTotal, string? GroupKey, long Asked, long Granted, long Refused, long Pending) : GroupedRow(IsTotal, GroupKey);

    private sealed record ExportRow(bool IsTotal, string? GroupKey, long Requested, long Approved, long Denied, long Pending, long Downloaded)
        : GroupedRow(IsTotal, GroupKey);
}
