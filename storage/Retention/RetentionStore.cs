using Dapper;
using Enforcement.Media.Storage.Catalogue;
using Enforcement.Media.Storage.Objects;
using Npgsql;

namespace Enforcement.Media.Storage.Retention;

/// <summary>SQL for retention: the facts the policy needs, the objects it applies to, and what was applied.</summary>
public static class RetentionStore
{
    public static async Task<RetentionFacts?> FactsAsync(NpgsqlConnection connection, Guid recordingId, CancellationToken cancellationToken)
    {
        const string recordingSql = """
            SELECT r.id, r.ingested_at, r.recorder_started_at, r.retain_until, r.retention_flags,
                   (SELECT count(*) FROM legal_holds h WHERE h.recording_id = r.id AND h.released_at IS NULL)::int AS active_holds
            FROM recordings r
            WHERE r.id = @recordingId AND r.disposed_at IS NULL
            """;
        var recording = await connection.QuerySingleOrDefaultAsync<RecordingRow>(new CommandDefinition(recordingSql, new { recordingId }, cancellationToken: cancellationToken));
        if (recording is null)
        {
            return null;
        }

        const string casesSql = """
            SELECT DISTINCT c.case_number, c.status, c.closed_at, c.archived_at, c.flags
            FROM recording_links l JOIN cases c ON c.id = l.case_id
            WHERE l.recording_id = @recordingId AND l.unlinked_at IS NULL
            """;
        var cases = await connection.QueryAsync<CaseRow>(new CommandDefinition(casesSql, new { recordingId }, cancellationToken: cancellationToken));
        return new RetentionFacts(
            recording.Id,
            Utc.From(recording.IngestedAt),
            Utc.From(recording.RecorderStartedAt),
            Utc.From(recording.RetainUntil),
            recording.RetentionFlags,
            recording.ActiveHolds,
            [.. cases.Select(c => new LinkedCaseFacts(c.CaseNumber, c.Status, Utc.From(c.ClosedAt), Utc.From(c.ArchivedAt), c.Flags))]);
    }

    public static async Task<IReadOnlyList<LiveObject>> LiveObjectsAsync(NpgsqlConnection connection, Guid recordingId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT id AS object_id, recording_id, kind, store, object_key, version_id, retain_until, legal_hold
            FROM stored_objects
            WHERE recording_id = @recordingId AND deleted_at IS NULL
            ORDER BY created_at
            """;
        var rows = await connection.QueryAsync<ObjectRow>(new CommandDefinition(sql, new { recordingId }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToLiveObject())];
    }

    /// <summary>Recordings with at least one live object, in pages, for a reconcile pass over everything.</summary>
    public static async Task<IReadOnlyList<Guid>> RecordingsAfterAsync(NpgsqlConnection connection, Guid after, int limit, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT id FROM recordings WHERE id > @after AND disposed_at IS NULL ORDER BY id LIMIT @limit
            """;
        return [.. await connection.QueryAsync<Guid>(new CommandDefinition(sql, new { after, limit }, cancellationToken: cancellationToken))];
    }

    public static async Task RecordAppliedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid objectId, ObjectRetention applied, CancellationToken cancellationToken)
    {
        const string sql = "UPDATE stored_objects SET retain_until = @RetainUntil, legal_hold = @LegalHold WHERE id = @objectId";
        await connection.ExecuteAsync(new CommandDefinition(
            sql, new { objectId, RetainUntil = applied.RetainUntil!.Value.UtcDateTime, applied.LegalHold }, transaction, cancellationToken: cancellationToken));
    }

    public static async Task RecordPlanAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, RetentionPlan plan, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE recordings SET retention_class = @Class, retain_until = greatest(retain_until, @RetainUntil), legal_hold = @LegalHold
            WHERE id = @RecordingId
            """;
        await connection.ExecuteAsync(new CommandDefinition(
            sql, new { plan.RecordingId, plan.Class, RetainUntil = plan.RetainUntil.UtcDateTime, plan.LegalHold }, transaction, cancellationToken: cancellationToken));
    }

    // Property-mapped (not positional) because Dapper binds PostgreSQL arrays only through setters.
    private sealed class RecordingRow
    {
        public Guid Id { get; set; }

        public DateTime IngestedAt { get; set; }

        public DateTime? RecorderStartedAt { get; set; }

        public DateTime RetainUntil { get; set; }

        public string[] RetentionFlags { get; set; } = [];

        public int ActiveHolds { get; set; }
    }

    private sealed class CaseRow
    {
        public string CaseNumber { get; set; } = string.Empty;

        public string Status { get; set; } = string.Empty;

        public DateTime? ClosedAt { get; set; }

        public DateTime? ArchivedAt { get; set; }

        public string[] Flags { get; set; } = [];
    }

    private sealed record ObjectRow(Guid ObjectId, Guid RecordingId, string Kind, string Store, string ObjectKey, string? VersionId, DateTime RetainUntil, bool LegalHold)
    {
        public LiveObject ToLiveObject() => new(ObjectId, RecordingId, Kind, Store, new ObjectRef(ObjectKey, VersionId), Utc.From(RetainUntil), LegalHold);
    }
}
