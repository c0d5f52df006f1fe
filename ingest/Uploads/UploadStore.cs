using System.Text.Json;
using Dapper;
using Enforcement.Media.Ingest.Receipts;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Hashing;
using Enforcement.Media.Storage.Jobs;
using Enforcement.Media.Storage.Stations;
using Npgsql;

namespace Enforcement.Media.Ingest.Uploads;

/// <summary>
/// SQL for <c>uploads</c>. The offset only moves forward from the value the caller read (checked
/// in the UPDATE), and the last byte completes the upload and queues its archive job in one transaction.
/// </summary>
public sealed class UploadStore(NpgsqlDataSource dataSource, AuditTrail audit, TimeProvider time)
{
    private const string Columns = """
        id, api_key_id, upload_length, upload_offset, metadata_header, metadata::text AS metadata,
        created_at, completed_at, archived_at, receipt::text AS receipt
        """;

    public async Task<Upload> CreateAsync(Guid id, ApiKey key, long length, string? metadataHeader, UploadMetadata metadata, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO uploads (id, api_key_id, upload_length, metadata_header, metadata, created_at, updated_at)
            VALUES (@id, @keyId, @length, @metadataHeader, @metadata::jsonb, @now, @now)
            """;
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            sql,
            new { id, keyId = key.Id, length, metadataHeader, metadata = JsonSerializer.Serialize(metadata.Pairs), now = now.UtcDateTime },
            transaction,
            cancellationToken: cancellationToken));
        if (length == 0)
        {
            // A zero-byte file is complete the moment it exists, and is evidence like any other.
            await CompleteAsync(connection, transaction, id, now, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new Upload(id, key.Id, length, 0, metadataHeader, metadata, now, length == 0 ? now : null, null, null);
    }

    /// <summary>The upload if it exists, belongs to this key and was not terminated; otherwise null (the caller answers 404).</summary>
    public async Task<Upload?> FindAsync(Guid id, Guid apiKeyId, CancellationToken cancellationToken)
    {
        const string sql = $"SELECT {Columns} FROM uploads WHERE id = @id AND api_key_id = @apiKeyId AND terminated_at IS NULL";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<UploadRow>(new CommandDefinition(sql, new { id, apiKeyId }, cancellationToken: cancellationToken));
        return row?.ToUpload();
    }

    /// <summary>Any upload by id, for the archive job.</summary>
    public async Task<Upload?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        const string sql = $"SELECT {Columns} FROM uploads WHERE id = @id AND terminated_at IS NULL";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<UploadRow>(new CommandDefinition(sql, new { id }, cancellationToken: cancellationToken));
        return row?.ToUpload();
    }

    /// <summary>
    /// Records that the bytes up to <paramref name="to"/> are fsynced. When that is the last byte, the
    /// upload is completed and its archive job queued in the same transaction. Throws when the
    /// offset is no longer <paramref name="from"/> (only the holder of the staging file's lock moves it).
    /// </summary>
    public async Task<bool> AdvanceAsync(Upload upload, long from, long to, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE uploads SET upload_offset = @to, updated_at = @now
            WHERE id = @Id AND upload_offset = @from AND completed_at IS NULL AND terminated_at IS NULL
            """;
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await connection.ExecuteAsync(new CommandDefinition(sql, new { upload.Id, from, to, now = now.UtcDateTime }, transaction, cancellationToken: cancellationToken)) != 1)
        {
            throw new InvalidOperationException($"Upload {upload.Id:N} is no longer at offset {from}: its offset moved without the staging file's lock.");
        }

        var completed = to == upload.Length;
        if (completed)
        {
            await CompleteAsync(connection, transaction, upload.Id, now, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return completed;
    }

    /// <summary>The staging file holds fewer bytes than recorded (it was damaged outside this service): record what it really holds, so the client resends the rest.</summary>
    public async Task RewindAsync(Guid id, long to, CancellationToken cancellationToken)
    {
        const string sql = "UPDATE uploads SET upload_offset = @to, updated_at = @now WHERE id = @id AND completed_at IS NULL AND upload_offset > @to";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, new { id, to, now = time.GetUtcNow().UtcDateTime }, cancellationToken: cancellationToken));
    }

    /// <summary>Marks an unfinished upload terminated (tus termination) and audits it; false when it had completed meanwhile.</summary>
    public async Task<bool> TerminateAsync(Upload upload, ApiKey key, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE uploads SET terminated_at = @now, updated_at = @now
            WHERE id = @Id AND completed_at IS NULL AND terminated_at IS NULL
            RETURNING upload_offset
            """;
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var offset = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(sql, new { upload.Id, now = now.UtcDateTime }, transaction, cancellationToken: cancellationToken));
        if (offset is null)
        {
            return false;
        }

        await audit.AppendAsync(
            connection,
            transaction,
            new AuditEntry(key.Actor, "upload.terminated", "upload", upload.Id.ToString(), new { name = upload.Metadata.FileName, length = upload.Length, received = offset }),
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Open uploads nobody advanced since <paramref name="cutoff"/>, longest idle first.</summary>
    public async Task<IReadOnlyList<Guid>> IdleSinceAsync(DateTimeOffset cutoff, int limit, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT id FROM uploads
            WHERE completed_at IS NULL AND terminated_at IS NULL AND updated_at < @cutoff
            ORDER BY updated_at
            LIMIT @limit
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<Guid>(new CommandDefinition(sql, new { cutoff = cutoff.UtcDateTime, limit }, cancellationToken: cancellationToken))];
    }

    /// <summary>
    /// Ends an upload (tus expiration) that is still open and still idle since <paramref name="cutoff"/>,
    /// and audits it; false when it moved on or ended meanwhile. The caller holds the staging file's lock.
    /// </summary>
    public async Task<bool> ExpireAsync(Guid id, DateTimeOffset cutoff, string actor, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE uploads SET terminated_at = @now, expired = true
            WHERE id = @id AND completed_at IS NULL AND terminated_at IS NULL AND updated_at < @cutoff
            RETURNING upload_offset AS received, upload_length AS length, api_key_id, metadata ->> 'filename' AS name, updated_at AS idle_since
            """;
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var ended = await connection.QuerySingleOrDefaultAsync<ExpiredRow>(new CommandDefinition(
            sql, new { id, cutoff = cutoff.UtcDateTime, now = now.UtcDateTime }, transaction, cancellationToken: cancellationToken));
        if (ended is null)
        {
            return false;
        }

        await audit.AppendAsync(
            connection,
            transaction,
            new AuditEntry(actor, "upload.expired", "upload", id.ToString(), new { name = ended.Name, length = ended.Length, received = ended.Received, key = ended.ApiKeyId, idleSince = ended.IdleSince }),
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private sealed record ExpiredRow(long Received, long Length, Guid ApiKeyId, string? Name, DateTime IdleSince);

    /// <summary>Bytes that open uploads may still send: what the staging disk has promised.</summary>
    public async Task<long> OpenRemainingBytesAsync(CancellationToken cancellationToken)
    {
        const string sql = "SELECT coalesce(sum(upload_length - upload_offset), 0)::bigint FROM uploads WHERE completed_at IS NULL AND terminated_at IS NULL";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, cancellationToken: cancellationToken));
    }

    public async Task SaveReceiptAsync(Guid id, Guid recordingId, Guid? sourceId, Receipt receipt, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE uploads SET archived_at = @now, updated_at = @now, recording_id = @recordingId, source_id = @sourceId, receipt = @receipt::jsonb
            WHERE id = @id AND archived_at IS NULL
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            sql,
            new { id, recordingId, sourceId, receipt = JsonSerializer.Serialize(receipt, UploadJson.Options), now = time.GetUtcNow().UtcDateTime },
            cancellationToken: cancellationToken));
    }

    /// <summary>
    /// The source an earlier attempt of this upload's archive job already committed (the process
    /// died before it could record the receipt), found by the upload's path; null when none did.
    /// </summary>
    public async Task<(Guid SourceId, Sha256Digest Sha256)?> FindArchivedSourceAsync(Guid id, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT s.id, r.sha256 FROM recording_sources s JOIN recordings r ON r.id = s.recording_id
            WHERE s.original_path = @path AND s.api_key_id IS NOT NULL
            ORDER BY s.received_at LIMIT 1
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<SourceRow>(new CommandDefinition(sql, new { path = UploadPaths.Of(id) }, cancellationToken: cancellationToken));
        return row is null ? null : (row.Id, Sha256Digest.Parse(row.Sha256));
    }

    private static async Task CompleteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string sql = "UPDATE uploads SET completed_at = @now, updated_at = @now WHERE id = @id AND completed_at IS NULL";
        await connection.ExecuteAsync(new CommandDefinition(sql, new { id, now = now.UtcDateTime }, transaction, cancellationToken: cancellationToken));
        await JobQueue.EnqueueAsync(connection, transaction, ArchiveUploadHandler.Request(id), cancellationToken);
    }

    private sealed record SourceRow(Guid Id, string Sha256);

    private sealed record UploadRow(
        Guid Id, Guid ApiKeyId, long UploadLength, long UploadOffset, string? MetadataHeader, string Metadata,
        DateTime CreatedAt, DateTime? CompletedAt, DateTime? ArchivedAt, string? Receipt)
    {
        public Upload ToUpload() => new(
            Id,
            ApiKeyId,
            UploadLength,
            UploadOffset,
            MetadataHeader,
            new UploadMetadata(JsonSerializer.Deserialize<Dictionary<string, string>>(Metadata) ?? []),
            Utc(CreatedAt),
            CompletedAt is { } completed ? Utc(completed) : null,
            ArchivedAt is { } archived ? Utc(archived) : null,
            Receipt);

        private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
    }
}
