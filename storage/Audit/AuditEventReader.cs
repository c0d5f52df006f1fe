using System.Runtime.CompilerServices;
using Dapper;
using Enforcement.Media.Storage.Audit.Verification;
using Npgsql;

namespace Enforcement.Media.Storage.Audit;

/// <summary>Streams the chained events out of the catalogue in sequence order, for verifying and exporting.</summary>
public static class AuditEventReader
{
    public static async IAsyncEnumerable<AuditRecord> ReadAsync(
        NpgsqlDataSource dataSource, long fromSeq, long? toSeq, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT seq, occurred_at, actor, action, subject_type, subject_id, details, prev_hash, hash
            FROM audit_events
            WHERE seq >= @from AND seq <= @to
            ORDER BY seq
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);

        // Unbuffered: a verify reads the whole chain, one row in memory at a time.
        var rows = connection.QueryUnbufferedAsync<Row>(sql, new { from = fromSeq, to = toSeq ?? long.MaxValue });
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            yield return new AuditRecord(
                row.Seq, AuditHash.FormatTime(row.OccurredAt), row.Actor, row.Action, row.SubjectType, row.SubjectId, row.Details, row.PrevHash, row.Hash);
        }
    }

    /// <summary>The row as stored; <c>details</c> is read as PostgreSQL prints the jsonb, which is what was hashed.</summary>
    private sealed class Row
    {
        public long Seq { get; init; }

        public DateTime OccurredAt { get; init; }

        public string Actor { get; init; } = "";

        public string Action { get; init; } = "";

        public string SubjectType { get; init; } = "";

        public string SubjectId { get; init; } = "";

        public string Details { get; init; } = "";

        public byte[] PrevHash { get; init; } = [];

        public byte[] Hash { get; init; } = [];
    }

    /// <summary>Events appended but not chained yet (the sealer has not reached them).</summary>
    public static async Task<long> CountUnsealedAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM audit_outbox", cancellationToken: cancellationToken));
    }
}
