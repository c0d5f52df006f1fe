using Dapper;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Catalogue;
using Enforcement.Media.Storage.Objects;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Enforcement.Media.Storage.Retention;

/// <summary>
/// Deletion after the retention period, only by a records manager's decision with a reason. A
/// recording is eligible when it is not permanent, has no legal hold (manual or from an open case),
/// is in no case that is open or closed-but-not-archived, and every object's period has ended. The
/// store has the last word: if it still holds a lock, the deletion is refused and reported. What
/// remains is a tombstone kept forever: SHA-256, metadata, who decided, when, and what the store said.
/// </summary>
public sealed partial class DispositionService(
    NpgsqlDataSource dataSource,
    IEvidenceStore store,
    AuditTrail audit,
    TimeProvider time,
    ILogger<DispositionService> logger)
{
    private const string Eligible = """
        r.disposed_at IS NULL
        AND r.retention_class <> 'permanent'
        AND NOT r.legal_hold
        AND cardinality(r.retention_flags) = 0
        AND NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.recording_id = r.id AND h.released_at IS NULL)
        AND NOT EXISTS (SELECT 1 FROM recording_links l JOIN cases c ON c.id = l.case_id
                        WHERE l.recording_id = r.id AND l.unlinked_at IS NULL AND c.status <> 'archived')
        AND NOT EXISTS (SELECT 1 FROM stored_objects o WHERE o.recording_id = r.id AND o.deleted_at IS NULL
                        AND (o.retain_until > @now OR o.legal_hold))
        AND r.retain_until <= @now
        """;

    /// <summary>Queues every recording that became eligible; returns how many were added.</summary>
    public async Task<int> RefreshQueueAsync(CancellationToken cancellationToken)
    {
        const string sql = $"""
            INSERT INTO disposition_queue (id, recording_id, eligible_since, queued_at)
            SELECT gen_random_uuid(), r.id, r.retain_until, @now
            FROM recordings r
            WHERE {Eligible}
              AND NOT EXISTS (SELECT 1 FROM disposition_queue q WHERE q.recording_id = r.id AND q.state = 'pending')
            ON CONFLICT (recording_id) WHERE state = 'pending' DO NOTHING
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var added = await connection.ExecuteAsync(new CommandDefinition(sql, new { now = time.GetUtcNow().UtcDateTime }, cancellationToken: cancellationToken));
        if (added > 0)
        {
            LogQueued(added);
        }

        return added;
    }

    public async Task<IReadOnlyList<DispositionCandidate>> PendingAsync(CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT q.id AS queue_id, r.id AS recording_id, r.sha256, r.original_name, r.retention_class, r.retain_until AS retained_until, q.queued_at
            FROM disposition_queue q JOIN recordings r ON r.id = q.recording_id
            WHERE q.state = 'pending'
            ORDER BY q.queued_at, r.id
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<CandidateRow>(new CommandDefinition(sql, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new DispositionCandidate(r.QueueId, r.RecordingId, r.Sha256, r.OriginalName, r.RetentionClass, Utc.From(r.RetainedUntil), Utc.From(r.QueuedAt)))];
    }

    /// <summary>
    /// A records manager's decision to dispose of one recording. Refused (and audited) when the
    /// reason is empty, the recording is not eligible now, or the store refuses to delete a version.
    /// </summary>
    public async Task<DispositionResult> DisposeAsync(Guid recordingId, string actor, string reason, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            return await RefuseAsync(recordingId, actor, reason, "a disposition needs a reason", cancellationToken);
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        const string eligibleSql = $"SELECT count(*) FROM recordings r WHERE r.id = @recordingId AND {Eligible}";
        var now = time.GetUtcNow();
        if (await connection.ExecuteScalarAsync<int>(new CommandDefinition(eligibleSql, new { recordingId, now = now.UtcDateTime }, cancellationToken: cancellationToken)) == 0)
        {
            return await RefuseAsync(recordingId, actor, reason, "not eligible: its retention period has not ended, or it is held, permanent or in a case that is not archived", cancellationToken);
        }

        // Ask the store first: if it still locks any version, nothing is deleted at all.
        var live = await RetentionStore.LiveObjectsAsync(connection, recordingId, cancellationToken);
        foreach (var item in live)
        {
            var held = await store.GetRetentionAsync(item.Location, cancellationToken);
            if (held.IsLockedAt(time.GetUtcNow()))
            {
                return await RefuseAsync(recordingId, actor, reason, $"the store still locks {item.Location} (until {held.RetainUntil:O}, legal hold {(held.LegalHold ? "on" : "off")})", cancellationToken);
            }
        }

        var confirmations = new List<(Guid ObjectId, string Confirmation)>();
        string? refusal = null;
        foreach (var item in live)
        {
            try
            {
                await store.DeleteAsync(item.Location, cancellationToken);
            }
            catch (ObjectLockedException ex)
            {
                // Locked since the check (a hold placed meanwhile): keep what was deleted on record, stop.
                refusal = $"the store refused to delete {item.Location}: {ex.Reason}";
                break;
            }

            var confirmation = await store.HeadAsync(item.Location, cancellationToken) is null
                ? $"deleted {item.Location} from {store.Name} at {time.GetUtcNow():O}; the store no longer has it"
                : throw new ObjectIntegrityException($"The store reported deleting {item.Location} but still has it.");
            confirmations.Add((item.ObjectId, confirmation));
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var (objectId, confirmation) in confirmations)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE stored_objects SET deleted_at = @now, deletion_confirmation = @confirmation WHERE id = @objectId",
                new { objectId, confirmation, now = now.UtcDateTime }, transaction, cancellationToken: cancellationToken));
        }

        if (refusal is not null)
        {
            await transaction.CommitAsync(cancellationToken);
            return await RefuseAsync(recordingId, actor, reason, $"{refusal} ({confirmations.Count} other version(s) were deleted and are recorded)", cancellationToken);
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE recordings SET disposed_at = @now, disposed_by = @actor, disposal_reason = @reason WHERE id = @recordingId",
            new { recordingId, actor, reason, now = now.UtcDateTime }, transaction, cancellationToken: cancellationToken));
        await Decide(connection, transaction, recordingId, "disposed", actor, reason, $"{confirmations.Count} object version(s) deleted", now, cancellationToken);
        await audit.AppendAsync(connection, transaction, new AuditEntry(actor, "recording.disposed", "recording", recordingId.ToString(), new { reason, objects = confirmations.Select(c => c.Confirmation) }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogDisposed(recordingId, actor, confirmations.Count);
        return new DispositionResult(recordingId, "disposed", $"{confirmations.Count} object version(s) deleted and confirmed absent");
    }

    private async Task<DispositionResult> RefuseAsync(Guid recordingId, string actor, string? reason, string why, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await Decide(connection, transaction, recordingId, "refused", actor, reason, why, time.GetUtcNow(), cancellationToken);
        await audit.AppendAsync(connection, transaction, new AuditEntry(actor, "disposition.refused", "recording", recordingId.ToString(), new { reason, why }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogRefused(recordingId, actor, why);
        return new DispositionResult(recordingId, "refused", why);
    }

    /// <summary>Closes the pending queue entry with the decision (there may be none when someone decides early).</summary>
    private static async Task Decide(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid recordingId, string state, string actor, string? reason, string outcome, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE disposition_queue SET state = @state, decided_by = @actor, decided_at = @now, decision_reason = @reason, outcome = @outcome
            WHERE recording_id = @recordingId AND state = 'pending'
            """;
        await connection.ExecuteAsync(new CommandDefinition(sql, new { recordingId, state, actor, reason, outcome, now = now.UtcDateTime }, transaction, cancellationToken: cancellationToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} recordings entered the disposition queue")]
    private partial void LogQueued(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording {RecordingId} disposed by {Actor}: {Objects} object versions deleted")]
    private partial void LogDisposed(Guid recordingId, string actor, int objects);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Disposition of recording {RecordingId} by {Actor} refused: {Why}")]
    private partial void LogRefused(Guid recordingId, string actor, string why);

    private sealed record CandidateRow(Guid QueueId, Guid RecordingId, string Sha256, string OriginalName, string RetentionClass, DateTime RetainedUntil, DateTime QueuedAt);
}
