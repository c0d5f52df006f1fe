using System.Text.Encodings.Web;
using System.Text.Json;
using Dapper;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Catalogue;
using Enforcement.Media.Storage.Jobs;
using Npgsql;

namespace Enforcement.Media.Storage.Alerts;

/// <summary>
/// The alert outbox in PostgreSQL: alerts raised in the transaction of their finding, each with an
/// <see cref="JobKinds.Alert"/> job that delivers it; and per webhook, how its delivery went, each end audited.
/// </summary>
public sealed class AlertStore(NpgsqlDataSource dataSource, AuditTrail audit, TimeProvider time)
{
    /// <summary>
    /// The job's own limit on attempts. Delivery gives up after <c>Alerts:MaxAttempts</c> (at most this many),
    /// recording why; this only stops a job whose worker kept dying before it could.
    /// </summary>
    public const int JobAttemptsCeiling = 100;

    /// <summary>Who the audit trail names for a delivery's end.</summary>
    public const string Actor = "system:alerts";

    public const string SubjectType = "alert";

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
    /// Records one attempt to deliver the alert to <paramref name="webhook"/> and where it leaves the delivery:
    /// <see cref="AlertDelivery.Trying"/> after a failure with attempts left, or settled —
    /// <see cref="AlertDelivery.Delivered"/> or <see cref="AlertDelivery.Failed"/> — with its audit event
    /// (<c>alert.delivered</c>, <c>alert.failed</c>) in the same transaction. Returns the attempts made so far.
    /// </summary>
    public async Task<int> RecordAttemptAsync(StoredAlert alert, string webhook, string state, int? status, string? error, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO alert_deliveries (alert_id, webhook, state, attempts, last_status, last_error, updated_at)
            VALUES (@alertId, @webhook, @state, 1, @status, @error, @now)
            ON CONFLICT (alert_id, webhook) DO UPDATE
            SET state = excluded.state, attempts = alert_deliveries.attempts + 1, last_status = excluded.last_status,
                last_error = excluded.last_error, updated_at = excluded.updated_at
            RETURNING attempts
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var attempts = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            sql, new { alertId = alert.Id, webhook, state, status, error, now = time.GetUtcNow().UtcDateTime }, transaction, cancellationToken: cancellationToken));
        if (state == AlertDelivery.Delivered)
        {
            await audit.AppendAsync(
                connection,
                transaction,
                new AuditEntry(Actor, "alert.delivered", SubjectType, alert.Id.ToString(), new { kind = alert.Kind, webhook, attempts, status, subjectType = alert.SubjectType, subjectId = alert.SubjectId }),
                cancellationToken);
        }
        else if (state == AlertDelivery.Failed)
        {
            await audit.AppendAsync(connection, transaction, FailedEntry(alert.Id, webhook, attempts, error), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return attempts;
    }

    /// <summary>
    /// Gives up, and audits so, a delivery that is not settled (its job ended before it did); the attempts it
    /// had made, or null when it was settled already.
    /// </summary>
    public async Task<int?> GiveUpAsync(Guid alertId, string webhook, string why, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO alert_deliveries (alert_id, webhook, state, attempts, last_error, updated_at)
            VALUES (@alertId, @webhook, 'failed', 0, @why, @now)
            ON CONFLICT (alert_id, webhook) DO UPDATE SET state = 'failed', updated_at = excluded.updated_at
            WHERE alert_deliveries.state = 'trying'
            RETURNING attempts
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var attempts = await connection.ExecuteScalarAsync<int?>(new CommandDefinition(
            sql, new { alertId, webhook, why, now = time.GetUtcNow().UtcDateTime }, transaction, cancellationToken: cancellationToken));
        if (attempts is { } made)
        {
            await audit.AppendAsync(connection, transaction, FailedEntry(alertId, webhook, made, why), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return attempts;
    }

    private static AuditEntry FailedEntry(Guid alertId, string webhook, int attempts, string? error) =>
        new(Actor, "alert.failed", SubjectType, alertId.ToString(), new { webhook, attempts, lastError = error });

    private sealed record AlertRow(Guid Id, string Kind, string SubjectType, string SubjectId, DateTime OccurredAt, string Body);

    private sealed record DeliveryRow(string Webhook, string State, int Attempts, int? LastStatus, string? LastError, DateTime UpdatedAt)
    {
        public AlertDelivery ToDelivery() => new(Webhook, State, Attempts, LastStatus, LastError, Utc.From(UpdatedAt));
    }
}
