using Dapper;
using Enforcement.Media.Player.Refusals;
using Enforcement.Media.Player.Visibility;
using Enforcement.Media.Storage.Catalogue;
using Npgsql;

namespace Enforcement.Media.Player.Statistics;

/// <summary>
/// The rows behind a number that has no list elsewhere: each selected with the figure's own source and
/// conditions (<see cref="StatisticsSql"/>), so the list holds exactly what the number counts.
/// </summary>
public sealed class StatisticsRows(NpgsqlDataSource dataSource, StatisticsUnits units, CompletenessStatistics completeness)
{
    public const int MaxRows = 1000;

    /// <summary>
    /// The rows of <paramref name="rows"/> within the caller's scope, resolved as the statistics resolve it; the
    /// rows of approvals and exports only for a caller who may read their figures.
    /// </summary>
    public async Task<StatisticsRowsPage> ListAsync(Viewer viewer, StatisticsRowsFilter rows, bool mayReadOversight, CancellationToken cancellationToken)
    {
        if (rows.IsOversight && !mayReadOversight)
        {
            throw new StatisticsRefusedException(Refusal.NotAllowed, "figure", "Approvals and exports are listed for those who may read the access ledger.");
        }

        if (rows.Family == StatisticsRowsFilter.Activities && rows.Filter.Recorder is not null)
        {
            throw StatisticsRefusedException.Invalid("recorder", "Activities are not counted by recorder (an activity has none of its own): leave out the recorder.");
        }

        var scope = await units.ResolveAsync(viewer, rows.Filter, mayReadOversight, cancellationToken);
        IReadOnlyList<object> items = rows.Family switch
        {
            StatisticsRowsFilter.Activities => await ActivitiesAsync(scope, rows.Part, cancellationToken),
            StatisticsRowsFilter.Approvals => await ApprovalsAsync(scope, rows.Part, cancellationToken),
            StatisticsRowsFilter.Exports => await ExportsAsync(scope, rows.Part, cancellationToken),
            StatisticsRowsFilter.Dispositions => await DispositionsAsync(scope, cancellationToken),
            _ => await FixityAsync(scope, rows.Part, cancellationToken),
        };
        return new StatisticsRowsPage(rows.Figure, [.. items.Take(MaxRows)], items.Count > MaxRows);
    }

    private async Task<IReadOnlyList<object>> ActivitiesAsync(StatisticsScope scope, string? part, CancellationToken cancellationToken)
    {
        var judged = await completeness.JudgeAsync(scope, cancellationToken);
        return [.. judged
            .Where(a => part switch
            {
                "complete" => a.Judgement.Complete,
                "incomplete" => !a.Judgement.Complete,
                "gaps" => a.Judgement.Gaps.Count > 0,
                _ => true,
            })
            .Select(a => new ActivityItem(
                a.CaseNumber, a.CaseUnit, a.Judgement.ExternalId, a.Judgement.Stage, a.Judgement.Type, a.Judgement.StartsAt, a.Judgement.EndsAt,
                a.Judgement.Officers, a.Judgement.Recordings.Count, a.Judgement.CoverageRatio, a.Judgement.Gaps.Count, a.Judgement.Complete))];
    }

    private async Task<IReadOnlyList<object>> ApprovalsAsync(StatisticsScope scope, string? part, CancellationToken cancellationToken)
    {
        const string sql = $"""
            SELECT a.id AS approval_id, a.recording_id, r.original_name AS recording_name, r.unit_code, r.officer_id, a.classification,
                   a.requested_by_actor AS requested_by, a.requested_at, a.reason, a.state, a.decided_by_actor AS decided_by, a.decided_at, a.decision_reason
            FROM {StatisticsSql.ApprovalsSource}
            WHERE {StatisticsSql.ApprovalsWhere} AND (@state::text IS NULL OR a.state = @state)
            ORDER BY a.requested_at DESC, a.id DESC
            LIMIT @limit
            """;
        var state = part switch { "granted" => "approved", "refused" => "denied", "pending" => "requested", _ => null };
        var rows = await QueryAsync<ApprovalRow>(sql, scope, new { state }, cancellationToken);
        return [.. rows.Select(r => new ApprovalItem(
            r.ApprovalId, r.RecordingId, r.RecordingName, r.UnitCode, r.OfficerId, r.Classification, r.RequestedBy, Utc.From(r.RequestedAt), r.Reason, r.State,
            r.DecidedBy, Utc.From(r.DecidedAt), r.DecisionReason))];
    }

    private async Task<IReadOnlyList<object>> ExportsAsync(StatisticsScope scope, string? part, CancellationToken cancellationToken)
    {
        // The figure counts requests through their recordings (a row each); the list names each request once.
        const string sql = $"""
            SELECT x.id AS export_id, x.requested_by_actor AS requested_by, x.requested_at, x.reason, x.recipient, x.state,
                   x.decided_by_actor AS decided_by, x.decided_at, x.downloaded_at,
                   (SELECT count(*) FROM export_items ci WHERE ci.export_id = x.id) AS recordings
            FROM export_requests x
            WHERE x.id IN (SELECT x.id FROM {StatisticsSql.ExportsSource} WHERE {StatisticsSql.ExportsWhere})
              AND CASE @part::text
                      WHEN 'approved' THEN {StatisticsSql.ExportApproved}
                      WHEN 'denied' THEN x.state = 'denied'
                      WHEN 'pending' THEN x.state = 'requested'
                      WHEN 'downloaded' THEN x.downloaded_at IS NOT NULL
                      ELSE true
                  END
            ORDER BY x.requested_at DESC, x.id DESC
            LIMIT @limit
            """;
        var rows = await QueryAsync<ExportRow>(sql, scope, new { part }, cancellationToken);
        return [.. rows.Select(r => new ExportRequestItem(
            r.ExportId, r.RequestedBy, Utc.From(r.RequestedAt), r.Reason, r.Recipient, r.State, r.DecidedBy, Utc.From(r.DecidedAt), Utc.From(r.DownloadedAt), r.Recordings))];
    }

    private async Task<IReadOnlyList<object>> DispositionsAsync(StatisticsScope scope, CancellationToken cancellationToken)
    {
        const string sql = $"""
            SELECT r.id AS recording_id, r.original_name, r.sha256, r.unit_code, r.officer_id, r.disposed_at, r.disposed_by, r.disposal_reason AS reason
            FROM {StatisticsSql.DispositionsSource}
            WHERE {StatisticsSql.DispositionsWhere}
            ORDER BY r.disposed_at DESC, r.id DESC
            LIMIT @limit
            """;
        var rows = await QueryAsync<DispositionRow>(sql, scope, new { }, cancellationToken);
        return [.. rows.Select(r => new DispositionItem(r.RecordingId, r.OriginalName, r.Sha256, r.UnitCode, r.OfficerId, Utc.From(r.DisposedAt), r.DisposedBy, r.Reason))];
    }

    private async Task<IReadOnlyList<object>> FixityAsync(StatisticsScope scope, string? outcome, CancellationToken cancellationToken)
    {
        const string sql = $"""
            SELECT f.id AS check_id, f.checked_at, f.recording_id, r.original_name, f.outcome, f.reason, f.expected_sha256, f.actual_sha256
            FROM {StatisticsSql.FixitySource}
            WHERE {StatisticsSql.FixityWhere} AND (@outcome::text IS NULL OR f.outcome = @outcome)
            ORDER BY f.checked_at DESC, f.id DESC
            LIMIT @limit
            """;
        var rows = await QueryAsync<FixityRow>(sql, scope, new { outcome }, cancellationToken);
        return [.. rows.Select(r => new FixityItem(r.CheckId, Utc.From(r.CheckedAt), r.RecordingId, r.OriginalName, r.Outcome, r.Reason, r.ExpectedSha256, r.ActualSha256))];
    }

    /// <summary>Runs a list query with the scope's parameters, its own, and one row more than is listed (to tell that there are more).</summary>
    private async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, StatisticsScope scope, object own, CancellationToken cancellationToken)
    {
        var parameters = new DynamicParameters(scope.Parameters);
        parameters.AddDynamicParams(own);
        parameters.Add("limit", MaxRows + 1);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<T>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken))];
    }

    private sealed record ApprovalRow(
        Guid ApprovalId, Guid RecordingId, string RecordingName, string? UnitCode, string? OfficerId, string Classification, string RequestedBy, DateTime RequestedAt,
        string Reason, string State, string? DecidedBy, DateTime? DecidedAt, string? DecisionReason);

    private sealed record ExportRow(
        Guid ExportId, string RequestedBy, DateTime RequestedAt, string Reason, string Recipient, string State, string? DecidedBy, DateTime? DecidedAt,
        DateTime? DownloadedAt, long Recordings);

    private sealed record DispositionRow(
        Guid RecordingId, string OriginalName, string Sha256, string? UnitCode, string? OfficerId, DateTime DisposedAt, string? DisposedBy, string? Reason);

    private sealed record FixityRow(
        long CheckId, DateTime CheckedAt, Guid RecordingId, string OriginalName, string Outcome, string? Reason, string ExpectedSha256, string? ActualSha256);
}
