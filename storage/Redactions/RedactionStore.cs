using Dapper;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Catalogue;
using Enforcement.Media.Storage.Jobs;
using Npgsql;

namespace Enforcement.Media.Storage.Redactions;

/// <summary>
/// SQL for <c>redactions</c>. Queuing a redaction and its render job happen in one transaction, and the
/// catalogue itself refuses to change a spec once queued (migration 0017's trigger), so the spec a
/// render reads is the spec that was submitted. Every change is an audit event (subject: the recording)
/// committed with it.
/// </summary>
public sealed class RedactionStore(NpgsqlDataSource dataSource, AuditTrail audit, TimeProvider time)
{
    /// <summary>The worker's name in the audit trail when it starts and finishes renders.</summary>
    public const string RendererActor = "system:media";

    /// <summary>Render jobs are tried this often: a render that failed three times fails for a reason a retry will not fix.</summary>
    public const int RenderAttempts = 3;

    /// <summary>Above thumbnails and renditions of unlinked recordings: somebody is waiting for this one.</summary>
    public const int RenderPriority = 50;

    public async Task<RedactionRecord> CreateAsync(Guid recordingId, Guid userId, string actor, string reason, RedactionSpec spec, bool draft, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO redactions (id, recording_id, state, reason, spec, created_by, created_by_actor, created_at, updated_at, queued_at)
            VALUES (@id, @recordingId, @state, @reason, @spec::jsonb, @userId, @actor, @now, @now, @queuedAt)
            """;
        var now = time.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            sql,
            new
            {
                id,
                recordingId,
                state = draft ? RedactionState.Draft : RedactionState.Queued,
                reason,
                spec = spec.ToJson(),
                userId,
                actor,
                now = now.UtcDateTime,
                queuedAt = draft ? (DateTime?)null : now.UtcDateTime,
            },
            transaction,
            cancellationToken: cancellationToken));
        if (!draft)
        {
            await EnqueueRenderAsync(connection, transaction, id, cancellationToken);
        }

        await AuditAsync(connection, transaction, actor, draft ? "redaction.drafted" : "redaction.queued", recordingId, id, new { reason, spec = JsonSpec(spec) }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (await FindAsync(id, cancellationToken))!;
    }

    /// <summary>Replaces a draft's spec and reason; false when it is no longer a draft.</summary>
    public async Task<bool> UpdateDraftAsync(Guid id, string actor, string reason, RedactionSpec spec, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE redactions SET reason = @reason, spec = @spec::jsonb, updated_at = @now
            WHERE id = @id AND state = 'draft'
            RETURNING recording_id
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var recordingId = await connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(
            sql, new { id, reason, spec = spec.ToJson(), now = time.GetUtcNow().UtcDateTime }, transaction, cancellationToken: cancellationToken));
        if (recordingId is not { } recording)
        {
            return false;
        }

        await AuditAsync(connection, transaction, actor, "redaction.draft-updated", recording, id, new { reason, spec = JsonSpec(spec) }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Queues a draft for rendering, freezing its spec; false when it is no longer a draft.</summary>
    public async Task<bool> QueueAsync(Guid id, string actor, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE redactions SET state = 'queued', queued_at = @now, updated_at = @now
            WHERE id = @id AND state = 'draft'
            RETURNING recording_id
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        if (await connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(sql, new { id, now }, transaction, cancellationToken: cancellationToken)) is not { } recording)
        {
            return false;
        }

        await EnqueueRenderAsync(connection, transaction, id, cancellationToken);
        await AuditAsync(connection, transaction, actor, "redaction.queued", recording, id, null, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Throws a draft away; false when it is not a draft (anything queued is kept).</summary>
    public async Task<bool> DeleteDraftAsync(Guid id, string actor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(
            "DELETE FROM redactions WHERE id = @id AND state = 'draft' RETURNING recording_id", new { id }, transaction, cancellationToken: cancellationToken)) is not { } recording)
        {
            return false;
        }

        await AuditAsync(connection, transaction, actor, "redaction.draft-discarded", recording, id, null, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>The render job began (again): queued or failed → rendering.</summary>
    public async Task MarkRenderingAsync(Guid id, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE redactions SET state = 'rendering', failure = NULL, finished_at = NULL, updated_at = @now
            WHERE id = @id AND state IN ('queued', 'rendering', 'failed')
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, new { id, now = time.GetUtcNow().UtcDateTime }, cancellationToken: cancellationToken));
    }

    /// <summary>The render finished: ready (its output is the newest successful redacted derivation) or failed with the reason a person reads.</summary>
    public async Task MarkFinishedAsync(Guid id, string? failure, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE redactions SET state = @state, failure = @failure, finished_at = @now, updated_at = @now
            WHERE id = @id AND state IN ('queued', 'rendering', 'failed')
            RETURNING recording_id
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var recording = await connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(
            sql,
            new { id, state = failure is null ? RedactionState.Ready : RedactionState.Failed, failure, now = time.GetUtcNow().UtcDateTime },
            transaction,
            cancellationToken: cancellationToken));
        if (recording is { } recordingId)
        {
            await AuditAsync(
                connection, transaction, RendererActor, failure is null ? "redaction.rendered" : "redaction.failed", recordingId, id,
                failure is null ? null : new { reason = failure.Length > 2000 ? failure[^2000..] : failure }, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<RedactionRecord?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(Select + " WHERE r.id = @id", new { id }, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    public async Task<IReadOnlyList<RedactionRecord>> ListForRecordingAsync(Guid recordingId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            Select + " WHERE r.recording_id = @recordingId ORDER BY r.created_at DESC", new { recordingId }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToRecord())];
    }

    private Task AuditAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string actor, string action, Guid recordingId, Guid redactionId, object? details, CancellationToken cancellationToken) =>
        audit.AppendAsync(
            connection,
            transaction,
            new AuditEntry(actor, action, "recording", recordingId.ToString(), new { redaction = redactionId, details }),
            cancellationToken);

    /// <summary>
    /// The spec in the audit event by the SHA-256 of its JSON as written and its size: a spec may hold
    /// thousands of key positions, and the row itself is frozen once queued.
    /// </summary>
    private static object JsonSpec(RedactionSpec spec) => new
    {
        sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(spec.ToJson()))),
        regions = spec.RegionList.Count,
        keyframes = spec.RegionList.Sum(r => r.KeyframeList.Count),
        fullFrame = spec.FullFrameList.Count,
        audio = spec.AudioList.Count,
    };

    private static Task<long?> EnqueueRenderAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, CancellationToken cancellationToken) =>
        JobQueue.EnqueueAsync(connection, transaction, new JobRequest(JobKinds.Redaction, null, new { redactionId = id }, RenderPriority, RenderAttempts), cancellationToken);

    private const string Select = """
        SELECT r.id, r.recording_id, r.state, r.reason, r.spec::text AS spec, r.created_by, r.created_by_actor, r.created_at, r.updated_at,
               r.queued_at, r.finished_at, r.failure,
               d.id AS derivation_id, o.id AS object_id, o.sha256, o.size_bytes, o.content_type, d.width, d.height, d.duration_seconds
        FROM redactions r
        LEFT JOIN LATERAL (
            SELECT id, object_id, width, height, duration_seconds FROM derivations
            WHERE redaction_id = r.id AND role = 'redacted' AND outcome = 'succeeded'
            ORDER BY id DESC LIMIT 1) d ON r.state = 'ready'
        LEFT JOIN stored_objects o ON o.id = d.object_id
        """;

    private sealed record Row(
        Guid Id, Guid RecordingId, string State, string Reason, string Spec, Guid CreatedBy, string CreatedByActor, DateTime CreatedAt, DateTime UpdatedAt,
        DateTime? QueuedAt, DateTime? FinishedAt, string? Failure,
        Guid? DerivationId, Guid? ObjectId, string? Sha256, long? SizeBytes, string? ContentType, int? Width, int? Height, double? DurationSeconds)
    {
        public RedactionRecord ToRecord() => new(
            Id, RecordingId, State, Reason, RedactionSpec.FromJson(Spec), CreatedBy, CreatedByActor, Utc.From(CreatedAt), Utc.From(UpdatedAt),
            Utc.From(QueuedAt), Utc.From(FinishedAt), Failure,
            DerivationId is { } derivation && ObjectId is { } objectId
                ? new RedactedOutput(derivation, objectId, Sha256!, SizeBytes!.Value, ContentType, Width, Height, DurationSeconds)
                : null);
    }
}
