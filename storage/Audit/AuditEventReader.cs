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
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("from", fromSeq);
        command.Parameters.AddWithValue("to", toSeq ?? long.MaxValue);
        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new AuditRecord(
                reader.GetInt64(0),
                AuditHash.FormatTime(reader.GetDateTime(1)),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetString(5),
                reader.GetString(6),
                (byte[])reader.GetValue(7),
                (byte[])reader.GetValue(8));
        }
    }

    /// <summary>Events appended but not chained yet (the sealer has not reached them).</summary>
    public static async Task<long> CountUnsealedAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM audit_outbox", cancellationToken: cancellationToken));
    }
}
