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
    /// <param name="md5">The MD5 computed on the way for a station's MD5 claim, so recovery can check that claim too.</param>
    public async Task MarkWrittenAsync(PendingObject pending, byte[]? md5, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE pending_writes
            SET state = 'written', object_key = @Key, version_id = @VersionId, sha256 = @Sha256, size_bytes = @Size, md5 = @Md5
            WHERE write_id = @WriteId
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            sql,
            new { pending.Write.WriteId, pending.Location.Key, pending.Location.VersionId, Sha256 = pending.Sha256.Hex, pending.Size, Md5 = md5 is null ? null : Convert.ToHexStringLower(md5) },
            cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Committed on its own, before the object is locked. For an original the caller holds the content
    /// lock: if the process dies between locking and committing the catalogue, whoever takes the content
    /// lock next finds this row and adopts the (possibly locked) copy instead of storing another. For a
    /// derivative (no content lock) it tells recovery the copy may be locked and must be catalogued.
    /// </summary>
    public async Task MarkSealingAsync(Guid writeId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE pending_writes SET state = 'sealing' WHERE write_id = @writeId AND state = 'written'", new { writeId }, cancellationToken: cancellationToken));
        if (changed != 1)
        {
            // Locking a copy no row says may be locked would leave it unfindable after a crash.
            throw new InvalidOperationException($"Write {writeId} is no longer 'written'; its copy is not sealed.");
        }
    }

    /// <summary>
    /// The write's state; null when the row is gone (another process finished the write). Read under
    /// the content lock, which every change of a written row's fate also holds; not FOR UPDATE, since
    /// <see cref="MarkSealingAsync"/> then changes the row from another connection.
    /// </summary>
    public static async Task<string?> StateAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid writeId, CancellationToken cancellationToken) =>
        await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT state FROM pending_writes WHERE write_id = @writeId", new { writeId }, transaction, cancellationToken: cancellationToken));

    /// <summary>
    /// Another write of the same content in this store that was being sealed when its process died.
    /// Only meaningful under the content lock: a live sealer holds that lock until it commits.
    /// </summary>
    public static async Task<AbandonedWrite?> FindSealingAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Sha256Digest sha256, string store, Guid excludingWriteId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT write_id, kind, store, delivery::text AS delivery, state, object_key, version_id, sha256, size_bytes, md5
            FROM pending_writes
            WHERE state = 'sealing' AND kind = 'original' AND sha256 = @Hex AND store = @store AND write_id <> @excludingWriteId
            ORDER BY started_at
            LIMIT 1
            FOR UPDATE
            """;
        var row = await connection.QuerySingleOrDefaultAsync<AbandonedRow>(new CommandDefinition(
            sql, new { sha256.Hex, store, excludingWriteId }, transaction, cancellationToken: cancellationToken));
        return row?.ToAbandonedWrite();
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
            RETURNING write_id, kind, store, delivery::text AS delivery, state, object_key, version_id, sha256, size_bytes, md5
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<AbandonedRow>(new CommandDefinition(sql, new { owner, lease, limit }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToAbandonedWrite())];
    }

    private sealed record AbandonedRow(
        Guid WriteId, string Kind, string Store, string Delivery, string State, string? ObjectKey, string? VersionId, string? Sha256, long? SizeBytes, string? Md5)
    {
        public AbandonedWrite ToAbandonedWrite()
        {
            var write = new ObjectWrite(WriteId, ObjectKindNames.Parse(Kind));
            var delivery = JsonSerializer.Deserialize<Delivery>(Delivery, Json)!;
            PendingObject? written = State != "writing" && ObjectKey is not null && Sha256 is not null && SizeBytes is not null
                ? new PendingObject(write with { ContentType = delivery.ContentType }, new ObjectRef(ObjectKey, VersionId), Sha256Digest.Parse(Sha256), SizeBytes.Value)
                : null;
            return new AbandonedWrite(write, Store, delivery, State, written, Md5 is null ? null : Convert.FromHexString(Md5));
        }
    }
}
