using Dapper;
using Enforcement.Media.Player.Approvals;
using Enforcement.Media.Player.Visibility;
using Enforcement.Media.Storage.Catalogue;
using Enforcement.Media.Storage.Objects;
using Npgsql;

namespace Enforcement.Media.Player.Playback;

/// <summary>SQL for playback sessions, the objects they stream and the watched intervals (migration 0011).</summary>
public sealed class PlaybackStore(NpgsqlDataSource dataSource)
{
    /// <summary>Null when there is no such recording or it was disposed of.</summary>
    public static async Task<RecordingFacts?> RecordingAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Viewer viewer, Guid recordingId, CancellationToken cancellationToken)
    {
        const string sql = $"""
            SELECT r.id, {RecordingVisibility.Predicate} AS visible, r.classification,
                   p.frames_per_second, coalesce(p.duration_seconds, d.duration_seconds) AS duration_seconds
            FROM recordings r
            LEFT JOIN media_probes p ON p.recording_id = r.id
            LEFT JOIN current_derivatives d ON d.recording_id = r.id AND d.role = 'playback'
            WHERE r.id = @recordingId AND r.disposed_at IS NULL
            """;
        var row = await connection.QuerySingleOrDefaultAsync<FactsRow>(new CommandDefinition(
            sql, new { recordingId, viewerId = viewer.UserId, viewerUnit = viewer.UnitCode }, transaction, cancellationToken: cancellationToken));
        return row is null ? null : new RecordingFacts(row.Id, row.Visible, row.Classification, row.FramesPerSecond, row.DurationSeconds);
    }

    /// <summary>The object a new session of this variant streams: the current playback rendition, or the original.</summary>
    public static async Task<StreamObject?> MediaAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid recordingId, string variant, CancellationToken cancellationToken)
    {
        const string rendition = """
            SELECT object_id, object_key, version_id, sha256, size_bytes, content_type
            FROM current_derivatives WHERE recording_id = @recordingId AND role = 'playback'
            """;
        const string original = """
            SELECT o.id AS object_id, o.object_key, o.version_id, o.sha256, o.size_bytes, o.content_type
            FROM recordings r JOIN stored_objects o ON o.id = r.original_object_id
            WHERE r.id = @recordingId
            """;
        var row = await connection.QuerySingleOrDefaultAsync<ObjectRow>(new CommandDefinition(
            variant == PlaybackVariant.Original ? original : rendition, new { recordingId }, transaction, cancellationToken: cancellationToken));
        return row?.ToObject();
    }

    /// <summary>The rendered output of a ready redaction of this recording, or null.</summary>
    public static async Task<StreamObject?> RedactedAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid recordingId, Guid redactionId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT o.id AS object_id, o.object_key, o.version_id, o.sha256, o.size_bytes, o.content_type
            FROM redactions r
            JOIN LATERAL (
                SELECT object_id FROM derivations
                WHERE redaction_id = r.id AND role = 'redacted' AND outcome = 'succeeded'
                ORDER BY id DESC LIMIT 1) d ON true
            JOIN stored_objects o ON o.id = d.object_id AND o.kind = 'redacted'
            WHERE r.id = @redactionId AND r.recording_id = @recordingId AND r.state = 'ready'
            """;
        var row = await connection.QuerySingleOrDefaultAsync<ObjectRow>(new CommandDefinition(sql, new { recordingId, redactionId }, transaction, cancellationToken: cancellationToken));
        return row?.ToObject();
    }

    /// <summary>The current derivative of a thumbnail role (<c>poster</c>, <c>sprite_sheet</c>, <c>sprite_track</c>), or null.</summary>
    public async Task<StreamObject?> DerivativeAsync(Guid recordingId, string role, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT object_id, object_key, version_id, sha256, size_bytes, content_type
            FROM current_derivatives WHERE recording_id = @recordingId AND role = @role
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<ObjectRow>(new CommandDefinition(sql, new { recordingId, role }, cancellationToken: cancellationToken));
        return row?.ToObject();
    }

    public static async Task<bool> HasThumbnailsAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid recordingId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT count(DISTINCT role) = 2 FROM current_derivatives
            WHERE recording_id = @recordingId AND role IN ('sprite_sheet', 'sprite_track')
            """;
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(sql, new { recordingId }, transaction, cancellationToken: cancellationToken));
    }

    public static async Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, NewSessionRow session, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO playback_sessions (id, user_id, actor, recording_id, variant, object_id, reason, approval_id,
                                           client_address, user_agent, started_at, expires_at, redaction_id)
            VALUES (@Id, @UserId, @Actor, @RecordingId, @Variant, @ObjectId, @Reason, @ApprovalId,
                    @ClientAddress, @UserAgent, @StartedAt, @ExpiresAt, @RedactionId)
            """;
        await connection.ExecuteAsync(new CommandDefinition(sql, session, transaction, cancellationToken: cancellationToken));
    }

    /// <summary>The session (locked for update when <paramref name="forUpdate"/>), with the object it streams.</summary>
    public static async Task<PlaybackSession?> FindAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid sessionId, bool forUpdate, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT s.id, s.user_id, s.actor, s.recording_id, s.variant, s.expires_at, s.ended_at,
                   o.id AS object_id, o.object_key, o.version_id, o.sha256, o.size_bytes, o.content_type
            FROM playback_sessions s JOIN stored_objects o ON o.id = s.object_id
            WHERE s.id = @sessionId
            """;
        var row = await connection.QuerySingleOrDefaultAsync<SessionRow>(new CommandDefinition(
            forUpdate ? sql + " FOR UPDATE OF s" : sql, new { sessionId }, transaction, cancellationToken: cancellationToken));
        return row?.ToSession();
    }

    /// <summary>
    /// Whether the session's user may, now, still see what it streams: the recording is not disposed of,
    /// is visible to the viewer (unit, case assignment), and is either unclassified or covered by the
    /// session's approval, still approved, unexpired and given for the recording's classification now or a
    /// higher one (an unknown unit counts as not visible, never as
    /// null). Null only when the recording is gone. Asked on every
    /// request for bytes, so a reclassification, a lapsed approval or a change of unit stops a viewing
    /// already under way, not only the next one.
    /// </summary>
    public static async Task<bool?> MayStillStreamAsync(NpgsqlConnection connection, Guid sessionId, Viewer viewer, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string sql = $"""
            SELECT coalesce({RecordingVisibility.Predicate}
                            AND (r.classification = '{Classification.Normal}'
                                 OR EXISTS (SELECT 1 FROM view_approvals a
                                            WHERE a.id = s.approval_id AND a.requested_by = s.user_id AND a.recording_id = r.id
                                              AND a.state = 'approved' AND a.expires_at > @now
                                              AND {Classification.ApprovalCoversRecording})),
                            false)
            FROM playback_sessions s JOIN recordings r ON r.id = s.recording_id
            WHERE s.id = @sessionId AND r.disposed_at IS NULL
            """;
        return await connection.QuerySingleOrDefaultAsync<bool?>(new CommandDefinition(
            sql, new { sessionId, viewerId = viewer.UserId, viewerUnit = viewer.UnitCode, now = now.UtcDateTime }, cancellationToken: cancellationToken));
    }

    /// <summary>The last heartbeat of a locked session: where the next one starts a watched interval from.</summary>
    public static async Task<LastHeartbeat?> LastHeartbeatAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid sessionId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT last_position, last_playing, last_rate, last_heartbeat_at FROM playback_sessions
            WHERE id = @sessionId AND last_heartbeat_at IS NOT NULL
            """;
        var row = await connection.QuerySingleOrDefaultAsync<HeartbeatRow>(new CommandDefinition(sql, new { sessionId }, transaction, cancellationToken: cancellationToken));
        return row is null ? null : new LastHeartbeat(row.LastPosition, row.LastPlaying, row.LastRate, Utc.From(row.LastHeartbeatAt));
    }

    public static async Task RecordHeartbeatAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid sessionId, LastHeartbeat heartbeat, DateTimeOffset expiresAt, WatchedInterval? watched, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE playback_sessions SET last_position = @Position, last_playing = @Playing, last_rate = @Rate,
                                         last_heartbeat_at = @At, expires_at = @expiresAt
            WHERE id = @sessionId
            """;
        await connection.ExecuteAsync(new CommandDefinition(
            sql, new { sessionId, heartbeat.Position, heartbeat.Playing, heartbeat.Rate, At = heartbeat.At.UtcDateTime, expiresAt = expiresAt.UtcDateTime }, transaction, cancellationToken: cancellationToken));
        if (watched is { } interval)
        {
            const string insert = "INSERT INTO playback_watched (session_id, from_seconds, to_seconds, reported_at) VALUES (@sessionId, @From, @To, @At)";
            await connection.ExecuteAsync(new CommandDefinition(insert, new { sessionId, interval.From, interval.To, At = heartbeat.At.UtcDateTime }, transaction, cancellationToken: cancellationToken));
        }
    }

    public static async Task EndAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid sessionId, DateTimeOffset endedAt, CancellationToken cancellationToken)
    {
        const string sql = "UPDATE playback_sessions SET ended_at = @endedAt WHERE id = @sessionId AND ended_at IS NULL";
        await connection.ExecuteAsync(new CommandDefinition(sql, new { sessionId, endedAt = endedAt.UtcDateTime }, transaction, cancellationToken: cancellationToken));
    }

    public sealed record NewSessionRow(
        Guid Id, Guid UserId, string Actor, Guid RecordingId, string Variant, Guid ObjectId, string Reason, Guid? ApprovalId,
        string ClientAddress, string UserAgent, DateTime StartedAt, DateTime ExpiresAt, Guid? RedactionId);

    private sealed record FactsRow(Guid Id, bool Visible, string Classification, double? FramesPerSecond, double? DurationSeconds);

    private sealed record HeartbeatRow(double LastPosition, bool LastPlaying, double LastRate, DateTime LastHeartbeatAt);

    private sealed record ObjectRow(Guid ObjectId, string ObjectKey, string? VersionId, string Sha256, long SizeBytes, string? ContentType)
    {
        public StreamObject ToObject() => new(ObjectId, new ObjectRef(ObjectKey, VersionId), Sha256, SizeBytes, ContentType);
    }

    private sealed record SessionRow(
        Guid Id, Guid UserId, string Actor, Guid RecordingId, string Variant, DateTime ExpiresAt, DateTime? EndedAt,
        Guid ObjectId, string ObjectKey, string? VersionId, string Sha256, long SizeBytes, string? ContentType)
    {
        public PlaybackSession ToSession() => new(
            Id, UserId, Actor, RecordingId, Variant, Utc.From(ExpiresAt), Utc.From(EndedAt), new StreamObject(ObjectId, new ObjectRef(ObjectKey, VersionId), Sha256, SizeBytes, ContentType));
    }
}
