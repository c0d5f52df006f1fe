using Dapper;
using Enforcement.Media.Storage.Catalogue;
using Enforcement.Media.Storage.Jobs;
using Enforcement.Media.Storage.Objects;
using Npgsql;

namespace Enforcement.Media.Storage.Publications;

/// <summary>
/// SQL for <c>publications</c> and the public access log (<c>publication_views</c>; migration 0017), for
/// both apps: the player asks, decides, withdraws and serves the public address; the worker makes the
/// watermarked copy. Steps that are audited take the caller's transaction, so the caller commits each
/// with its audit event.
/// </summary>
public sealed class PublicationStore(NpgsqlDataSource dataSource)
{
    /// <summary>The watermark is burned in at once: the approver decides on the exact bytes the public will get.</summary>
    public const int RenderPriority = 60;

    public const int RenderAttempts = 3;

    public static async Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, PublicationRecord publication, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO publications (id, redaction_id, recording_id, title, body, watermark, requested_by, requested_by_actor,
                                      requested_at, render_state, state)
            VALUES (@Id, @RedactionId, @RecordingId, @Title, @Body, @Watermark, @RequestedBy, @RequestedByActor,
                    @RequestedAt, 'queued', 'requested')
            """;
        await connection.ExecuteAsync(new CommandDefinition(
            sql,
            new
            {
                publication.Id,
                publication.RedactionId,
                publication.RecordingId,
                publication.Title,
                publication.Body,
                publication.Watermark,
                publication.RequestedBy,
                publication.RequestedByActor,
                RequestedAt = publication.RequestedAt.UtcDateTime,
            },
            transaction,
            cancellationToken: cancellationToken));
        await JobQueue.EnqueueAsync(
            connection,
            transaction,
            new JobRequest(JobKinds.Publication, null, new { publicationId = publication.Id }, RenderPriority, RenderAttempts),
            cancellationToken);
    }

    /// <summary>The case number the watermark names: of the case the recording was linked to first, among live links.</summary>
    public static async Task<string?> CaseNumberAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid recordingId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT c.case_number FROM recording_links l JOIN cases c ON c.id = l.case_id
            WHERE l.recording_id = @recordingId AND l.unlinked_at IS NULL
            ORDER BY l.linked_at, c.case_number LIMIT 1
            """;
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(sql, new { recordingId }, transaction, cancellationToken: cancellationToken));
    }

    public static async Task<PublicationRecord?> FindAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid id, bool forUpdate, CancellationToken cancellationToken)
    {
        var sql = Select + " WHERE p.id = @id" + (forUpdate ? " FOR UPDATE OF p" : string.Empty);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(sql, new { id }, transaction, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    public async Task<PublicationRecord?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await FindAsync(connection, null, id, forUpdate: false, cancellationToken);
    }

    /// <summary>
    /// Publications of the recordings <paramref name="visible"/> lets through (the caller's visibility rule),
    /// newest first; only those in <paramref name="state"/> when given.
    /// </summary>
    public async Task<IReadOnlyList<PublicationRecord>> ListAsync(RecordingCondition visible, string? state, int limit, CancellationToken cancellationToken)
    {
        var sql = $"""
            {Select}
            JOIN recordings r ON r.id = p.recording_id
            WHERE {visible.Sql} AND (@state::text IS NULL OR p.state = @state)
            ORDER BY p.requested_at DESC
            LIMIT @limit
            """;
        var parameters = new DynamicParameters(visible.Parameters);
        parameters.AddDynamicParams(new { state, limit });
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToRecord())];
    }

    public static async Task DecideAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        Guid id,
        Guid deciderId,
        string deciderActor,
        bool approve,
        string reason,
        string? token,
        DateTimeOffset now,
        DateTimeOffset? expiresAt,
        CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE publications
            SET state = @state, decided_by = @userId, decided_by_actor = @actor, decided_at = @now, decision_reason = @reason,
                token = @token, expires_at = @expiresAt
            WHERE id = @id AND state = 'requested'
            """;
        await connection.ExecuteAsync(new CommandDefinition(
            sql,
            new
            {
                id,
                state = approve ? PublicationState.Published : PublicationState.Refused,
                userId = deciderId,
                actor = deciderActor,
                now = now.UtcDateTime,
                reason,
                token,
                expiresAt = expiresAt?.UtcDateTime,
            },
            transaction,
            cancellationToken: cancellationToken));
    }

    public static async Task WithdrawAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, string actor, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE publications SET state = 'withdrawn', withdrawn_by_actor = @actor, withdrawn_at = @now, withdrawal_reason = @reason
            WHERE id = @id AND state = 'published'
            """;
        await connection.ExecuteAsync(new CommandDefinition(sql, new { id, actor, now = now.UtcDateTime, reason }, transaction, cancellationToken: cancellationToken));
    }

    /// <summary>What the public address serves: the publication and its watermarked copy, whatever its state (the caller answers 410).</summary>
    public async Task<PublicItem?> PublicAsync(string token, CancellationToken cancellationToken)
    {
        // Only a 'redacted' object can come back: the public address never reaches anything else.
        const string sql = """
            SELECT p.id, p.title, p.body, p.watermark, p.state, p.expires_at, r.disposed_at IS NOT NULL AS disposed,
                   o.object_key, o.version_id, o.sha256, o.size_bytes, o.content_type
            FROM publications p
            JOIN recordings r ON r.id = p.recording_id
            JOIN stored_objects o ON o.id = p.object_id AND o.kind = 'redacted'
            WHERE p.token = @token
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<PublicItem>(new CommandDefinition(sql, new { token }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Lines of the public access log, in one transaction with the view counts of the pages among them:
    /// when this returns they are committed, all of them or none.
    /// </summary>
    public async Task LogViewsAsync(IReadOnlyList<PublicView> views, CancellationToken cancellationToken)
    {
        const string insert = """
            INSERT INTO publication_views (publication_id, at, client_address, user_agent, what, range_from, range_to, status)
            SELECT * FROM unnest(@publicationIds, @ats, @clientAddresses, @userAgents, @whats, @rangeFroms, @rangeTos, @statuses)
            """;
        const string count = """
            UPDATE publications p SET view_count = p.view_count + v.views
            FROM (SELECT t.id, count(*) AS views FROM unnest(@counted) AS t(id) GROUP BY t.id) v
            WHERE p.id = v.id
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            insert,
            new
            {
                publicationIds = views.Select(v => v.PublicationId).ToArray(),
                ats = views.Select(v => v.At).ToArray(),
                clientAddresses = views.Select(v => v.ClientAddress).ToArray(),
                userAgents = views.Select(v => v.UserAgent).ToArray(),
                whats = views.Select(v => v.What).ToArray(),
                rangeFroms = views.Select(v => v.RangeFrom).ToArray(),
                rangeTos = views.Select(v => v.RangeTo).ToArray(),
                statuses = views.Select(v => v.Status).ToArray(),
            },
            transaction,
            cancellationToken: cancellationToken));
        var counted = views.Where(v => v.Counted).Select(v => v.PublicationId).ToArray();
        if (counted.Length > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(count, new { counted }, transaction, cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The worker's copy: where a redacted object is kept; null when there is no such object of kind <c>redacted</c>.</summary>
    public async Task<ObjectRef?> FindRedactedObjectAsync(Guid objectId, CancellationToken cancellationToken)
    {
        const string sql = "SELECT object_key, version_id FROM stored_objects WHERE id = @objectId AND kind = 'redacted' AND deleted_at IS NULL";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<ObjectRow>(new CommandDefinition(sql, new { objectId }, cancellationToken: cancellationToken));
        return row is null ? null : new ObjectRef(row.ObjectKey, row.VersionId);
    }

    /// <summary>The copy's job began (again); false when the publication was decided or its copy made meanwhile.</summary>
    public Task<bool> MarkRenderingAsync(Guid id, CancellationToken cancellationToken) =>
        SetRenderStateAsync(id, "rendering", null, null, cancellationToken);

    public Task<bool> MarkReadyAsync(Guid id, Guid objectId, CancellationToken cancellationToken) =>
        SetRenderStateAsync(id, PublicationState.RenderReady, objectId, null, cancellationToken);

    /// <summary>The copy could not be made, for the reason a person reads.</summary>
    public Task<bool> MarkFailedAsync(Guid id, string failure, CancellationToken cancellationToken) =>
        SetRenderStateAsync(id, PublicationState.RenderFailed, null, failure, cancellationToken);

    /// <summary>
    /// A copy is made and set only while the publication is still requested: once someone decided on its
    /// exact bytes, they never change.
    /// </summary>
    private async Task<bool> SetRenderStateAsync(Guid id, string renderState, Guid? objectId, string? failure, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE publications SET render_state = @renderState, render_failure = @failure, object_id = coalesce(@objectId::uuid, object_id)
            WHERE id = @id AND state = 'requested' AND render_state IN ('queued', 'rendering', 'failed')
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(sql, new { id, renderState, objectId, failure }, cancellationToken: cancellationToken)) == 1;
    }

    private const string Select = """
        SELECT p.id, p.redaction_id, p.recording_id, p.title, p.body, p.watermark, p.requested_by, p.requested_by_actor, p.requested_at,
               p.render_state, p.render_failure, p.object_id, p.state, p.decided_by_actor, p.decided_at, p.decision_reason,
               p.token, p.expires_at, p.withdrawn_by_actor, p.withdrawn_at, p.withdrawal_reason, p.view_count
        FROM publications p
        """;

    /// <summary>Read with setters: Dapper maps timestamptz to DateTime, which the record holds as UTC offsets.</summary>
    private sealed class Row
    {
        public Guid Id { get; init; }

        public Guid RedactionId { get; init; }

        public Guid RecordingId { get; init; }

        public string Title { get; init; } = "";

        public string Body { get; init; } = "";

        public string Watermark { get; init; } = "";

        public Guid RequestedBy { get; init; }

        public string RequestedByActor { get; init; } = "";

        public DateTime RequestedAt { get; init; }

        public string RenderState { get; init; } = "";

        public string? RenderFailure { get; init; }

        public Guid? ObjectId { get; init; }

        public string State { get; init; } = "";

        public string? DecidedByActor { get; init; }

        public DateTime? DecidedAt { get; init; }

        public string? DecisionReason { get; init; }

        public string? Token { get; init; }

        public DateTime? ExpiresAt { get; init; }

        public string? WithdrawnByActor { get; init; }

        public DateTime? WithdrawnAt { get; init; }

        public string? WithdrawalReason { get; init; }

        public long ViewCount { get; init; }

        public PublicationRecord ToRecord() => new(
            Id, RedactionId, RecordingId, Title, Body, Watermark, RequestedBy, RequestedByActor, Utc.From(RequestedAt), RenderState, RenderFailure, ObjectId,
            State, DecidedByActor, Utc.From(DecidedAt), DecisionReason, Token, Utc.From(ExpiresAt), WithdrawnByActor, Utc.From(WithdrawnAt), WithdrawalReason, ViewCount);
    }

    private sealed record ObjectRow(string ObjectKey, string? VersionId);
}
