using Dapper;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Jobs;
using Npgsql;

namespace Enforcement.Media.Storage.Retention;

/// <summary>
/// A records manager's legal hold on one recording: it beats every retention period. Placing or
/// releasing one is audited and queues the retention job that makes the store follow.
/// </summary>
public sealed class LegalHoldService(NpgsqlDataSource dataSource, AuditTrail audit, TimeProvider time)
{
    public async Task<Guid> PlaceAsync(Guid recordingId, string actor, string reason, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var id = Guid.CreateVersion7(time.GetUtcNow());
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO legal_holds (id, recording_id, reason, placed_by, placed_at) VALUES (@id, @recordingId, @reason, @actor, @now)",
            new { id, recordingId, reason, actor, now = time.GetUtcNow().UtcDateTime }, transaction, cancellationToken: cancellationToken));
        await audit.AppendAsync(connection, transaction, new AuditEntry(actor, "legal-hold.placed", "recording", recordingId.ToString(), new { holdId = id, reason }), cancellationToken);
        await JobQueue.EnqueueAsync(connection, transaction, new JobRequest(JobKinds.Retention, recordingId, Priority: 10), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return id;
    }

    /// <summary>Releases a hold; false when there is no such active hold.</summary>
    public async Task<bool> ReleaseAsync(Guid holdId, string actor, string reason, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var recordingId = await connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(
            """
            UPDATE legal_holds SET released_by = @actor, released_at = @now, release_reason = @reason
            WHERE id = @holdId AND released_at IS NULL
            RETURNING recording_id
            """,
            new { holdId, actor, reason, now = time.GetUtcNow().UtcDateTime }, transaction, cancellationToken: cancellationToken));
        if (recordingId is null)
        {
            return false;
        }

        await audit.AppendAsync(connection, transaction, new AuditEntry(actor, "legal-hold.released", "recording", recordingId.Value.ToString(), new { holdId, reason }), cancellationToken);
        await JobQueue.EnqueueAsync(connection, transaction, new JobRequest(JobKinds.Retention, recordingId, Priority: 10), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}
