using Dapper;
using Enforcement.Media.Player.Visibility;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Catalogue;
using Npgsql;

namespace Enforcement.Media.Player.Integrity;

/// <summary>
/// SQL behind the integrity page. Findings about footage (fixity, quarantine) are listed only for recordings
/// the supervisor may see (<see cref="RecordingVisibility"/>); what concerns the whole system — the last
/// fixity run's counts, the audit trail's last verification, alerts never delivered — names no footage.
/// </summary>
public sealed class IntegrityQueries(NpgsqlDataSource dataSource, AuditVerificationStore verifications)
{
    public const int MaxListed = 200;

    public async Task<IntegrityReport> ReportAsync(Viewer viewer, CancellationToken cancellationToken) => new(
        await LastFixityRunAsync(cancellationToken),
        await FixityProblemsAsync(viewer, cancellationToken),
        await QuarantinedAsync(viewer, cancellationToken),
        await verifications.LatestAsync(cancellationToken),
        await UndeliveredAlertsAsync(cancellationToken));

    private async Task<FixityRunSummary?> LastFixityRunAsync(CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT run_id, min(checked_at) AS started_at, max(checked_at) AS finished_at, count(*) AS checked,
                   count(*) FILTER (WHERE outcome = 'verified') AS verified
            FROM fixity_checks
            WHERE run_id = (SELECT run_id FROM fixity_checks ORDER BY checked_at DESC, id DESC LIMIT 1)
            GROUP BY run_id
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<RunRow>(new CommandDefinition(sql, cancellationToken: cancellationToken));
        return row is null ? null : new FixityRunSummary(row.RunId, Utc.From(row.StartedAt), Utc.From(row.FinishedAt), row.Checked, row.Verified);
    }

    /// <summary>
    /// Originals whose latest check was not "verified", newest finding first. Read from the partial index of
    /// problems, each kept only while no later check of its object exists (a later "verified" clears it).
    /// </summary>
    private async Task<IReadOnlyList<FixityProblem>> FixityProblemsAsync(Viewer viewer, CancellationToken cancellationToken)
    {
        const string sql = $"""
            SELECT f.recording_id, r.original_name, f.outcome, f.expected_sha256, f.actual_sha256, f.expected_size,
                   f.actual_size, f.reason, f.checked_at
            FROM fixity_checks f
            JOIN recordings r ON r.id = f.recording_id
            WHERE f.outcome <> 'verified'
              AND NOT EXISTS (SELECT 1 FROM fixity_checks later
                              WHERE later.object_id = f.object_id AND (later.checked_at, later.id) > (f.checked_at, f.id))
              AND {RecordingVisibility.Predicate}
            ORDER BY f.checked_at DESC, f.id DESC
            LIMIT @limit
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<FixityRow>(new CommandDefinition(
            sql, new { viewerId = viewer.UserId, viewerUnit = viewer.UnitCode, limit = MaxListed }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new FixityProblem(r.RecordingId, r.OriginalName, r.Outcome, r.ExpectedSha256, r.ActualSha256, r.ExpectedSize, r.ActualSize, r.Reason, Utc.From(r.CheckedAt)))];
    }

    private async Task<IReadOnlyList<QuarantinedDelivery>> QuarantinedAsync(Viewer viewer, CancellationToken cancellationToken)
    {
        const string sql = $"""
            SELECT s.id AS source_id, s.recording_id, s.original_name, s.source_kind, s.station_id, s.device_serial, s.officer_id,
                   r.sha256, s.claimed_sha256, s.claimed_md5, r.quarantine_reason AS reason, s.received_at
            FROM recording_sources s
            JOIN recordings r ON r.id = s.recording_id
            WHERE s.claim_verified = false AND {RecordingVisibility.Predicate}
            ORDER BY s.received_at DESC, s.id DESC
            LIMIT @limit
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<QuarantineRow>(new CommandDefinition(
            sql, new { viewerId = viewer.UserId, viewerUnit = viewer.UnitCode, limit = MaxListed }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new QuarantinedDelivery(
            r.SourceId, r.RecordingId, r.OriginalName, r.SourceKind, r.StationId, r.DeviceSerial, r.OfficerId, r.Sha256, r.ClaimedSha256, r.ClaimedMd5, r.Reason, Utc.From(r.ReceivedAt)))];
    }

    private async Task<IReadOnlyList<UndeliveredAlert>> UndeliveredAlertsAsync(CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT a.id AS alert_id, a.kind, a.occurred_at, d.webhook, d.attempts, d.last_error, d.updated_at AS gave_up_at
            FROM alert_deliveries d
            JOIN alerts a ON a.id = d.alert_id
            WHERE d.state = 'failed'
            ORDER BY d.updated_at DESC
            LIMIT @limit
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<AlertRow>(new CommandDefinition(sql, new { limit = MaxListed }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new UndeliveredAlert(r.AlertId, r.Kind, Utc.From(r.OccurredAt), r.Webhook, r.Attempts, r.LastError, Utc.From(r.GaveUpAt)))];
    }

    private sealed record RunRow(Guid RunId, DateTime StartedAt, DateTime FinishedAt, long Checked, long Verified);

    private sealed record FixityRow(
        Guid RecordingId, string OriginalName, string Outcome, string ExpectedSha256, string? ActualSha256, long ExpectedSize, long? ActualSize, string? Reason, DateTime CheckedAt);

    private sealed record QuarantineRow(
        Guid SourceId, Guid RecordingId, string OriginalName, string SourceKind, string? StationId, string? DeviceSerial, string? OfficerId,
        string Sha256, string? ClaimedSha256, string? ClaimedMd5, string? Reason, DateTime ReceivedAt);

    private sealed record AlertRow(Guid AlertId, string Kind, DateTime OccurredAt, string Webhook, int Attempts, string? LastError, DateTime GaveUpAt);
}
