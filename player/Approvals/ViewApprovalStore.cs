using Dapper;
using Enforcement.Media.Player.Visibility;
using Enforcement.Media.Storage.Catalogue;
using Npgsql;

namespace Enforcement.Media.Player.Approvals;

/// <summary>SQL for approvals to view classified recordings (<c>view_approvals</c>, migration 0011).</summary>
public sealed class ViewApprovalStore(NpgsqlDataSource dataSource)
{
    private const string Columns = """
        a.id, a.recording_id, r.original_name AS recording_name, a.classification, a.requested_by, a.requested_by_actor,
        a.requested_at, a.reason, a.state, a.decided_by_actor, a.decided_at, a.decision_reason, a.expires_at
        """;

    public static async Task InsertAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, Guid recordingId, Guid userId, string actor, DateTimeOffset now, string reason, string classification, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO view_approvals (id, recording_id, requested_by, requested_by_actor, requested_at, reason, classification)
            VALUES (@id, @recordingId, @userId, @actor, @now, @reason, @classification)
            """;
        await connection.ExecuteAsync(new CommandDefinition(sql, new { id, recordingId, userId, actor, now = now.UtcDateTime, reason, classification }, transaction, cancellationToken: cancellationToken));
    }

    /// <summary>Locks one approval for a decision; null when there is none.</summary>
    public static async Task<LockedApproval?> LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, CancellationToken cancellationToken)
    {
        const string sql = "SELECT id, recording_id, requested_by, state FROM view_approvals WHERE id = @id FOR UPDATE";
        return await connection.QuerySingleOrDefaultAsync<LockedApproval>(new CommandDefinition(sql, new { id }, transaction, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Records a decision. An approval is for the classification the recording has as it is decided — what
    /// the supervisor saw — and is returned; a raise above it later ends what the approval allows.
    /// </summary>
    public static async Task<string?> DecideAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, string state, Guid userId, string actor, DateTimeOffset now, string reason, DateTimeOffset? expiresAt, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE view_approvals a
            SET state = @state, decided_by = @userId, decided_by_actor = @actor, decided_at = @now,
                decision_reason = @reason, expires_at = @expiresAt,
                approved_classification = CASE WHEN @state = 'approved' THEN r.classification END
            FROM recordings r
            WHERE a.id = @id AND a.state = 'requested' AND r.id = a.recording_id
            RETURNING a.approved_classification
            """;
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            sql, new { id, state, userId, actor, now = now.UtcDateTime, reason, expiresAt = expiresAt?.UtcDateTime }, transaction, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// True when this approval lets this user view this recording now: approved, theirs, for it, not
    /// expired, and given for the recording's classification now or a higher one.
    /// </summary>
    public static async Task<bool> GrantsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid approvalId, Guid userId, Guid recordingId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string sql = $"""
            SELECT EXISTS (SELECT 1 FROM view_approvals a JOIN recordings r ON r.id = a.recording_id
                           WHERE a.id = @approvalId AND a.requested_by = @userId AND a.recording_id = @recordingId
                             AND a.state = 'approved' AND a.expires_at > @now AND {Classification.ApprovalCoversRecording})
            """;
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(sql, new { approvalId, userId, recordingId, now = now.UtcDateTime }, transaction, cancellationToken: cancellationToken));
    }

    /// <summary>Requests waiting for a decision on recordings this supervisor may see, oldest first.</summary>
    public async Task<IReadOnlyList<ViewApproval>> PendingAsync(Viewer supervisor, int limit, CancellationToken cancellationToken)
    {
        const string sql = $"""
            SELECT {Columns}
            FROM view_approvals a JOIN recordings r ON r.id = a.recording_id
            WHERE a.state = 'requested' AND {RecordingVisibility.Predicate}
            ORDER BY a.requested_at
            LIMIT @limit
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            sql, new { viewerId = supervisor.UserId, viewerUnit = supervisor.UnitCode, limit = Math.Clamp(limit, 1, 1000) }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToApproval())];
    }

    /// <summary>A user's own requests for one recording, newest first (the recording page finds its approval here).</summary>
    public async Task<IReadOnlyList<ViewApproval>> OfRequesterAsync(Guid userId, Guid recordingId, CancellationToken cancellationToken)
    {
        const string sql = $"""
            SELECT {Columns}
            FROM view_approvals a JOIN recordings r ON r.id = a.recording_id
            WHERE a.requested_by = @userId AND a.recording_id = @recordingId
            ORDER BY a.requested_at DESC
            LIMIT 50
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(sql, new { userId, recordingId }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToApproval())];
    }

    public sealed record LockedApproval(Guid Id, Guid RecordingId, Guid RequestedBy, string State);

    private sealed record Row(
        Guid Id, Guid RecordingId, string RecordingName, string Classification, Guid RequestedBy, string RequestedByActor, DateTime RequestedAt, string Reason,
        string State, string? DecidedByActor, DateTime? DecidedAt, string? DecisionReason, DateTime? ExpiresAt)
    {
        public ViewApproval ToApproval() => new(
            Id, RecordingId, RecordingName, Classification, RequestedBy, RequestedByActor, Utc.From(RequestedAt), Reason, State, DecidedByActor, Utc.From(DecidedAt), DecisionReason, Utc.From(ExpiresAt));
    }
}
