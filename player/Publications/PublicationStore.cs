using Dapper;
using Enforcement.Media.Player.Visibility;
using Enforcement.Media.Storage.Catalogue;
using Enforcement.Media.Storage.Jobs;
using Npgsql;

namespace Enforcement.Media.Player.Publications;

/// <summary>SQL for <c>publications</c> and the public access log (<c>publication_views</c>; migration 0017).</summary>
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

    /// <summary>Publications of recordings the viewer may see, newest first; only those in <paramref name="state"/> when given.</summary>
    public async Task<IReadOnlyList<PublicationRecord>> ListAsync(Viewer viewer, string? state, int limit, CancellationToken cancellationToken)
    {
        var sql = $"""
            {Select}
            JOIN recordings r ON r.id = p.recording_id
            WHERE {RecordingVisibility.Predicate} AND (@state::text IS NULL OR p.state = @state)
            ORDER BY p.requested_at DESC
            LIMIT @limit
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            sql, new { viewerId = viewer.UserId, viewerUnit = viewer.UnitCode, state, limit }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToRecord())];
    }

    public static async Task DecideAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, Viewer decider, bool approve, string reason, string? token, DateTimeOffset now, DateTimeOffset? expiresAt, CancellationToken cancellationToken)
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
                userId = decider.UserId,
                actor = decider.Actor,
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

    /// <summary>One line of the public access log; a page view also counts towards the publication's view count.</summary>
    public async Task LogViewAsync(PublicView view, CancellationToken cancellationToken)
    {
        const string insert = """
            INSERT INTO publication_views (publication_id, at, client_address, user_agent, what, range_from, range_to, status)
            VALUES (@PublicationId, @At, @ClientAddress, @UserAgent, @What, @RangeFrom, @RangeTo, @Status)
            """;
        const string count = "UPDATE publications SET view_count = view_count + 1 WHERE id = @PublicationId";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(insert, view, transaction, cancellationToken: cancellationToken));
        if (view.What == PublicView.Page && view.Status == StatusCodes.Status200OK)
        {
            await connection.ExecuteAsync(new CommandDefinition(count, view, transaction, cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
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
}
