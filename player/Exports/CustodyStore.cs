using Dapper;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Audit.Verification;
using Enforcement.Media.Storage.Objects;
using Npgsql;

namespace Enforcement.Media.Player.Exports;

/// <summary>SQL for the chain-of-custody report: the chained events about given subjects, and the checkpoints after them.</summary>
public sealed class CustodyStore(NpgsqlDataSource dataSource)
{
    /// <summary>Every chained event whose subject is one of the recordings, or the export itself, in sequence order.</summary>
    public async Task<IReadOnlyList<AuditRecord>> EventsAsync(IReadOnlyList<Guid> recordingIds, Guid exportId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT seq, occurred_at, actor, action, subject_type, subject_id, details, prev_hash, hash
            FROM audit_events
            WHERE (subject_type = 'recording' AND subject_id = ANY(@recordings)) OR (subject_type = 'export' AND subject_id = @export)
            ORDER BY seq
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<EventRow>(new CommandDefinition(
            sql, new { recordings = recordingIds.Select(r => r.ToString()).ToArray(), export = exportId.ToString() }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new AuditRecord(r.Seq, AuditHash.FormatTime(r.OccurredAt), r.Actor, r.Action, r.SubjectType, r.SubjectId, r.Details, r.PrevHash, r.Hash))];
    }

    /// <summary>For each event, the first checkpoint at or after it (events after the last checkpoint have none).</summary>
    public async Task<IReadOnlyDictionary<long, long>> AnchorsAsync(IReadOnlyList<long> eventSeqs, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT e.seq AS event_seq, c.seq AS checkpoint_seq
            FROM unnest(@seqs) AS e(seq)
            JOIN LATERAL (SELECT seq FROM audit_checkpoints WHERE seq >= e.seq ORDER BY seq LIMIT 1) c ON true
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long EventSeq, long CheckpointSeq)>(new CommandDefinition(sql, new { seqs = eventSeqs.ToArray() }, cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.EventSeq, r => r.CheckpointSeq);
    }

    /// <summary>Where the evidence store holds the checkpoint(s) signed at this seq, and the bytes the catalogue recorded.</summary>
    public async Task<IReadOnlyList<(string Store, ObjectRef Location, string Document)>> CheckpointsAtAsync(long seq, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT o.store, o.object_key, o.version_id, c.document
            FROM audit_checkpoints c JOIN stored_objects o ON o.id = c.object_id
            WHERE c.seq = @seq
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Store, string ObjectKey, string? VersionId, string Document)>(new CommandDefinition(sql, new { seq }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => (r.Store, new ObjectRef(r.ObjectKey, r.VersionId), r.Document))];
    }

    private sealed record EventRow(long Seq, DateTime OccurredAt, string Actor, string Action, string SubjectType, string SubjectId, string Details, byte[] PrevHash, byte[] Hash);
}
