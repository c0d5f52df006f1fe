using System.Text.Json;
using System.Text.Json.Serialization;
using Dapper;
using Enforcement.Media.Storage.Hashing;
using Enforcement.Media.Storage.Objects;
using Npgsql;

namespace Enforcement.Media.Storage.Recordings;

/// <summary>SQL for <c>pending_writes</c>: the record that lets a crashed write be finished or cleaned up.</summary>
public sealed class PendingWriteStore(NpgsqlDataSource dataSource)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public async Task BeginAsync(ObjectWrite write, string store, Delivery delivery, string owner, TimeSpan lease, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO pending_writes (write_id, kind, store, delivery, owner, lease_expires_at)
            VALUES (@WriteId, @Kind, @Store, @Delivery::jsonb, @Owner, now() + @Lease)
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            sql,
            new { write.WriteId, Kind = write.Kind.ToName(), Store = store, Delivery = JsonSerializer.Serialize(delivery, Json), Owner = owner, Lease = lease },
            cancellationToken: cancellationToken));
    }

    public async Task RenewAsync(Guid writeId, string owner, TimeSpan lease, CancellationToken cancellationToken)
    {
        const string sql = "UPDATE pending_writes SET lease_expires_at = now() + @lease WHERE write_id = @writeId AND owner = @owner";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, new { writeId, owner, lease }, cancellationToken: cancellationToken));
    }

    /// <summary>The bytes are in the store and hashed: from here a crash is finished, not undone.</summary>
    public async Task MarkWrittenAsync(PendingObject pending, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE pending_writes
            SET state = 'written', object_key = @Key, version_id = @VersionId, sha256 = @Sha256, size_bytes = @Size
            WHERE write_id = @WriteId
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            sql,
            new { pending.Write.WriteId, pending.Location.Key, pending.Location.VersionId, Sha256 = pending.Sha256.Hex, pending.Size },
            cancellationToken: cancellationToken));
    }

    public static async Task MarkDiscardingAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid writeId, CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE pending_writes SET state = 'discarding' WHERE write_id = @writeId", new { writeId }, transaction, cancellationToken: cancellationToken));

    public static async Task DeleteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid writeId, CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM pending_writes WHERE write_id = @writeId", new { writeId }, transaction, cancellationToken: cancellationToken));

    public async Task DeleteAsync(Guid writeId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await DeleteAsync(connection, null, writeId, cancellationToken);
    }

    /// <summary>Takes over writes whose owner stopped renewing its lease (crashed or killed).</summary>
    public async Task<IReadOnlyList<AbandonedWrite>> ClaimAbandonedAsync(string owner, TimeSpan lease, int limit, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE pending_writes SET owner = @owner, lease_expires_at = now() + @lease
            WHERE write_id IN (
                SELECT write_id FROM pending_writes
                WHERE lease_expires_at < now()
                ORDER BY started_at
                FOR UPDATE SKIP LOCKED
                LIMIT @limit)
            RETURNING write_id, kind, store, delivery::text AS delivery, state, object_key, version_id, sha256, size_bytes
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<AbandonedRow>(new CommandDefinition(sql, new { owner, lease, limit }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToAbandonedWrite())];
    }

    private sealed record AbandonedRow(
        Guid WriteId, string Kind, string Store, string Delivery, string State, string? ObjectKey, string? VersionId, string? Sha256, long? SizeBytes)
    {
        public AbandonedWrite ToAbandonedWrite()
        {
            var write = new ObjectWrite(WriteId, ObjectKindNames.Parse(Kind));
            var delivery = JsonSerializer.Deserialize<Delivery>(Delivery, Json)!;
            PendingObject? written = State != "writing" && ObjectKey is not null && Sha256 is not null && SizeBytes is not null
                ? new PendingObject(write with { ContentType = delivery.ContentType }, new ObjectRef(ObjectKey, VersionId), Sha256Digest.Parse(Sha256), SizeBytes.Value)
                : null;
            return new AbandonedWrite(write, Store, delivery, State, written);
        }
    }
}
