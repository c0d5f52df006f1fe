using Dapper;
using Enforcement.Media.Storage.Catalogue;
using Npgsql;

namespace Enforcement.Media.Storage.Retention;

/// <summary>
/// SQL for the disposition queue (migration 0021): entries waiting, proposed, and decided. A decided entry is
/// never changed again and none is deleted — the catalogue refuses both — and none is disposed of unless a
/// second records manager approved it (a CHECK names the two people, a trigger guards the state).
/// </summary>
public static class DispositionQueue
{
    /// <summary>A recording that may be disposed of now (<c>@now</c>), as a condition on <c>recordings r</c>.</summary>
    public const string Eligible = """
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

    public static async Task<bool> IsEligibleAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid recordingId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string sql = $"SELECT EXISTS (SELECT 1 FROM recordings r WHERE r.id = @recordingId AND {Eligible})";
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(sql, new { recordingId, now = now.UtcDateTime }, transaction, cancellationToken: cancellationToken));
    }

    /// <summary>Queues every recording that became eligible; returns how many were added.</summary>
    public static async Task<int> QueueEligibleAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string sql = $"""
            INSERT INTO disposition_queue (id, recording_id, eligible_since, queued_at)
            SELECT gen_random_uuid(), r.id, r.retain_until, @now
            FROM recordings r
            WHERE {Eligible}
              AND NOT EXISTS (SELECT 1 FROM disposition_queue q WHERE q.recording_id = r.id AND q.state IN ('pending', 'proposed'))
            ON CONFLICT (recording_id) WHERE state IN ('pending', 'proposed') DO NOTHING
            """;
        return await connection.ExecuteAsync(new CommandDefinition(sql, new { now = now.UtcDateTime }, transaction, cancellationToken: cancellationToken));
    }

    /// <summary>Closes every open entry whose recording is no longer eligible (a hold, a link to an open case, a longer period); returns them.</summary>
    public static async Task<IReadOnlyList<(Guid Id, Guid RecordingId)>> WithdrawIneligibleAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string sql = $"""
            UPDATE disposition_queue q
            SET state = 'withdrawn', decided_at = @now,
                outcome = 'no longer eligible: held, permanent, linked to a case that is not archived, or kept longer'
            WHERE q.state IN ('pending', 'proposed')
              AND NOT EXISTS (SELECT 1 FROM recordings r WHERE r.id = q.recording_id AND {Eligible})
            RETURNING q.id, q.recording_id
            """;
        return [.. await connection.QueryAsync<(Guid, Guid)>(new CommandDefinition(sql, new { now = now.UtcDateTime }, transaction, cancellationToken: cancellationToken))];
    }

    /// <summary>The open entries, oldest first.</summary>
    public static async Task<IReadOnlyList<DispositionCandidate>> OpenAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT q.id AS queue_id, r.id AS recording_id, r.sha256, r.original_name, r.retention_class, r.retain_until AS retained_until, q.queued_at,
                   q.state, q.proposed_by, q.proposed_at, q.proposal_reason
            FROM disposition_queue q JOIN recordings r ON r.id = q.recording_id
            WHERE q.state IN ('pending', 'proposed')
            ORDER BY q.queued_at, r.id
            """;
        var rows = await connection.QueryAsync<OpenRow>(new CommandDefinition(sql, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new DispositionCandidate(
            r.QueueId, r.RecordingId, r.Sha256, r.OriginalName, r.RetentionClass, Utc.From(r.RetainedUntil), Utc.From(r.QueuedAt), r.State, r.ProposedBy, Utc.From(r.ProposedAt), r.ProposalReason))];
    }

    /// <summary>
    /// Makes the recording's waiting entry a proposal, or adds one when the scan has not queued it yet; null
    /// when the recording already has an open proposal.
    /// </summary>
    public static async Task<Guid?> ProposeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid recordingId, string actor, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string sql = """
            WITH waiting AS (
                UPDATE disposition_queue SET state = 'proposed', proposed_by = @actor, proposed_at = @now, proposal_reason = @reason
                WHERE recording_id = @recordingId AND state = 'pending'
                RETURNING id),
            added AS (
                INSERT INTO disposition_queue (id, recording_id, state, eligible_since, queued_at, proposed_by, proposed_at, proposal_reason)
                SELECT @id, r.id, 'proposed', r.retain_until, @now, @actor, @now, @reason
                FROM recordings r
                WHERE r.id = @recordingId AND NOT EXISTS (SELECT 1 FROM waiting)
                ON CONFLICT (recording_id) WHERE state IN ('pending', 'proposed') DO NOTHING
                RETURNING id)
            SELECT id FROM waiting UNION ALL SELECT id FROM added
            """;
        return await connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(
            sql, new { recordingId, actor, reason, id = Guid.CreateVersion7(now), now = now.UtcDateTime }, transaction, cancellationToken: cancellationToken));
    }

    /// <summary>The recording's open proposal, for a refusal to name who made it; null when there is none.</summary>
    public static async Task<(string ProposedBy, DateTime ProposedAt)?> OpenProposalAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid recordingId, CancellationToken cancellationToken)
    {
        const string sql = "SELECT proposed_by, proposed_at FROM disposition_queue WHERE recording_id = @recordingId AND state = 'proposed'";
        return await connection.QuerySingleOrDefaultAsync<(string, DateTime)?>(new CommandDefinition(sql, new { recordingId }, transaction, cancellationToken: cancellationToken));
    }

    /// <summary>The entry, locked until the transaction ends so two decisions on it wait for each other; null when there is none.</summary>
    public static async Task<DispositionEntry?> LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid entryId, CancellationToken cancellationToken)
    {
        const string sql = "SELECT id, recording_id, state, proposed_by, proposal_reason FROM disposition_queue WHERE id = @entryId FOR UPDATE";
        return await connection.QuerySingleOrDefaultAsync<DispositionEntry>(new CommandDefinition(sql, new { entryId }, transaction, cancellationToken: cancellationToken));
    }

    /// <summary>The second records manager's decision on a proposal, with what came of it.</summary>
    public static async Task DecideAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid entryId, string state, string decision, string actor, string reason, string outcome, string? retentionRule, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE disposition_queue
            SET state = @state, decision = @decision, decided_by = @actor, decided_at = @now, decision_reason = @reason, outcome = @outcome, retention_rule = @retentionRule
            WHERE id = @entryId AND state = 'proposed'
            """;
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            sql, new { entryId, state, decision, actor, reason, outcome, retentionRule, now = now.UtcDateTime }, transaction, cancellationToken: cancellationToken));
        if (changed != 1)
        {
            throw new InvalidOperationException($"Disposition entry {entryId} was not a locked proposal when it was decided.");
        }
    }

    private sealed record OpenRow(
        Guid QueueId, Guid RecordingId, string Sha256, string OriginalName, string RetentionClass, DateTime RetainedUntil, DateTime QueuedAt,
        string State, string? ProposedBy, DateTime? ProposedAt, string? ProposalReason);
}
