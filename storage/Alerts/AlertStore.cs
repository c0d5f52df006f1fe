using System.Text.Encodings.Web;
using System.Text.Json;
using Dapper;
using Enforcement.Media.Storage.Catalogue;
using Enforcement.Media.Storage.Jobs;
using Npgsql;

namespace Enforcement.Media.Storage.Alerts;

/// <summary>
/// The alert outbox in PostgreSQL: alerts raised in the transaction of their finding, each with an
/// <see cref="JobKinds.Alert"/> job that delivers it; and per webhook, how its delivery went.
/// </summary>
public sealed class AlertStore(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// The job's own limit on attempts. Delivery gives up after <c>Alerts:MaxAttempts</c> (at most this many),
    /// recording why; this only stops a job whose worker kept dying before it could.
    /// </summary>
    public const int JobAttemptsCeiling = 100;

    private static readonly JsonSerializerOptions BodyJson = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Raises <paramref name="alert"/> in the caller's transaction, so it exists exactly when the finding does,
    /// and queues its delivery. Null when an alert with the same <see cref="Alert.DedupeKey"/> was raised before.
    /// </summary>
    public static async Task<Guid?> RaiseAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Alert alert, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO alerts (id, kind, subject_type, subject_id, occurred_at, body, dedupe_key)
            VALUES (@id, @Kind, @SubjectType, @SubjectId, @now, @body, @DedupeKey)
            ON CONFLICT (dedupe_key) DO NOTHING
            RETURNING id
            """;
        var id = Guid.CreateVersion7(now);
        var body = JsonSerializer.Serialize(
            new
            {
                id,
                type = alert.Kind,
                occurredAt = now.ToUniversalTime(),
                subject = new { type = alert.SubjectType, id = alert.SubjectId },
                summary = alert.Summary,
                details = alert.Details,
            },
            BodyJson);
        var raised = await connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(
            sql, new { id, alert.Kind, alert.SubjectType, alert.SubjectId, now = now.UtcDateTime, body, alert.DedupeKey }, transaction, cancellationToken: cancellationToken));
        if (raised is not null)
        {
            await JobQueue.EnqueueAsync(connection, transaction, new JobRequest(JobKinds.Alert, null, new { alertId = id }, MaxAttempts: JobAttemptsCeiling), cancellationToken);
        }

        return raised;
    }

    public async Task<StoredAlert?> FindAsync(Guid alertId, CancellationToken cancellationToken)
    {
        const string sql = "SELECT id, kind, subject_type, subject_id, occurred_at, body FROM alerts WHERE id = @alertId";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<AlertRow>(new CommandDefinition(sql, new { alertId }, cancellationToken: cancellationToken));
        return row is null ? null : new StoredAlert(row.Id, row.Kind, row.SubjectType, row.SubjectId, Utc.From(row.OccurredAt), row.Body);
    }

    /// <summary>How delivery of the alert went so far, by webhook name.</summary>
    public async Task<IReadOnlyDictionary<string, AlertDelivery>> DeliveriesAsync(Guid alertId, CancellationToken cancellationToken)
    {
        const string sql = "SELECT webhook, state, attempts, last_status, last_error, updated_at FROM alert_deliveries WHERE alert_id = @alertId";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<DeliveryRow>(new CommandDefinition(sql, new { alertId }, cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.Webhook, r => r.ToDelivery(), StringComparer.Ordinal);
    }

    /// <summary>
    /// Records one attempt to deliver the alert to <paramref name="webhook"/> and where it leaves the delivery
    /// (<see cref="AlertDelivery.Trying"/> after a failure with attempts left); returns the attempts made so far.
    /// The caller audits a settled delivery in the same transaction.
    /// </summary>
    public static async Task<int> RecordAttemptAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid alertId, string webhook, string state, int? status, string? error, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO alert_deliveries (alert_id, webhook, state, attempts, last_status, last_error, updated_at)
            VALUES (@alertId, @webhook, @state, 1, @status, @error, @now)
            ON CONFLICT (alert_id, webhook) DO UPDATE
            SET state = excluded.state, attempts = alert_deliveries.attempts + 1, last_status = excluded.last_status,
                last_error = excluded.last_error, updated_at = excluded.updated_at
            RETURNING attempts
            """;
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            sql, new { alertId, webhook, state, status, error, now = now.UtcDateTime }, transaction, cancellationToken: cancellationToken));
    }

    /// <summary>Gives up on a delivery still trying (its attempts ran out); false when it was settled already.</summary>
    public static async Task<bool> GiveUpAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid alertId, string webhook, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO alert_deliveries (alert_id, webhook, state, attempts, last_error, updated_at)
            VALUES (@alertId, @webhook, 'failed', 0, 'never attempted', @now)
            ON CONFLICT (alert_id, webhook) DO UPDATE SET state = 'failed', updated_at = excluded.updated_at
            WHERE alert_deliveries.state = 'trying'
            """;
        return await connection.ExecuteAsync(new CommandDefinition(sql, new { alertId, webhook, now = now.UtcDateTime }, transaction, cancellationToken: cancellationToken)) == 1;
    }

    private sealed record AlertRow(Guid Id, string Kind, string SubjectType, string SubjectId, DateTime OccurredAt, string Body);

    private sealed record DeliveryRow(string Webhook, string State, int Attempts, int? LastStatus, string? LastError, DateTime UpdatedAt)
    {
        public AlertDelivery ToDelivery() => new(Webhook, State, Attempts, LastStatus, LastError, Utc.From(UpdatedAt));
    }
}
