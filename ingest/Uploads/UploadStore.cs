using System.Text.Json;
using Dapper;
using Enforcement.Media.Ingest.Receipts;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Hashing;
using Enforcement.Media.Storage.Jobs;
using Enforcement.Media.Storage.Stations;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Enforcement.Media.Ingest.Uploads;

/// <summary>
/// SQL for <c>uploads</c>. The offset only moves forward from the value the caller read (checked
/// in the UPDATE), and the last byte completes the upload and queues its archive job in one transaction.
/// </summary>
/// <remarks>
/// Staging space is promised, not just found: an open upload reserves the space for its remaining
/// bytes, and a create is admitted only if its length fits beside every live reservation and
/// <see cref="UploadOptions.MinimumFreeBytes"/> (and within its key's
/// <see cref="UploadOptions.MaxPendingBytesPerKey"/>). An upload that never started holds its
/// reservation until it is ended (<see cref="UploadOptions.ExpireUnstartedAfter"/>); a started one
/// holds it while bytes arrive, and lets it lapse after <see cref="UploadOptions.ReleaseIdleReservationAfter"/>
/// without any. Every such decision is taken under one lock shared by all ingest processes, so two
/// of them cannot promise the same space.
/// </remarks>
public sealed class UploadStore(NpgsqlDataSource dataSource, AuditTrail audit, StagingArea staging, IOptions<UploadOptions> options, TimeProvider time)
{
    private const string Columns = """
        id, api_key_id, upload_length, upload_offset, metadata_header, metadata::text AS metadata,
        created_at, updated_at, completed_at, archived_at, receipt::text AS receipt
        """;

    /// <summary>
    /// Creates the upload unless its key's pending bytes would pass their limit or the staging disk
    /// cannot promise its length; nothing is written when it is refused.
    /// </summary>
    public async Task<CreateOutcome> CreateAsync(Guid id, ApiKey key, long length, string? metadataHeader, UploadMetadata metadata, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO uploads (id, api_key_id, upload_length, metadata_header, metadata, created_at, updated_at)
            VALUES (@id, @keyId, @length, @metadataHeader, @metadata::jsonb, @now, @now)
            """;
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockStagingAsync(connection, transaction, cancellationToken);
        var pending = await PendingBytesAsync(connection, transaction, key.Id, cancellationToken);
        if (pending + length > options.Value.MaxPendingBytesPerKey)
        {
            return new CreateOutcome(CreateResult.KeyLimitReached, pending);
        }

        if (!await FitsAsync(connection, transaction, null, length, now, cancellationToken))
        {
            return new CreateOutcome(CreateResult.InsufficientStorage, pending);
        }

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
        return new CreateOutcome(CreateResult.Created, pending);
    }

    /// <summary>
    /// True while the upload reserves staging space for its remaining bytes: it never started (it is
    /// ended soon enough), or a byte arrived within <see cref="UploadOptions.ReleaseIdleReservationAfter"/>.
    /// The same rule as the reserved sum in <see cref="FitsAsync"/>.
    /// </summary>
    public bool HoldsReservation(Upload upload) => upload.Offset == 0 || upload.UpdatedAt >= ReservedSince(time.GetUtcNow());

    /// <summary>
    /// Takes staging space again for a started upload whose reservation lapsed: its remaining bytes
    /// must fit beside every live reservation and the free space kept. When they do, the upload
    /// counts as active from now (so the next decision counts its space, and it expires a full
    /// <see cref="UploadOptions.ExpireAfter"/> later, as if it had advanced); false, nothing changed,
    /// when they do not. The caller holds the staging file's lock.
    /// </summary>
    public async Task<bool> ReserveAgainAsync(Upload upload, CancellationToken cancellationToken)
    {
        const string sql = "UPDATE uploads SET updated_at = @now WHERE id = @Id AND completed_at IS NULL AND terminated_at IS NULL";
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockStagingAsync(connection, transaction, cancellationToken);
        if (!await FitsAsync(connection, transaction, upload.Id, upload.Remaining, now, cancellationToken))
        {
            return false;
        }

        await connection.ExecuteAsync(new CommandDefinition(sql, new { upload.Id, now = now.UtcDateTime }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return true;
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

    /// <summary>
    /// Open uploads to end: nobody advanced them since <paramref name="cutoff"/>, or they received no
    /// byte and nobody touched them since <paramref name="unstartedCutoff"/>; longest idle first.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> IdleSinceAsync(DateTimeOffset cutoff, DateTimeOffset unstartedCutoff, int limit, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT id FROM uploads
            WHERE completed_at IS NULL AND terminated_at IS NULL
              AND (updated_at < @cutoff OR (upload_offset = 0 AND updated_at < @unstartedCutoff))
            ORDER BY updated_at
            LIMIT @limit
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<Guid>(new CommandDefinition(
            sql, new { cutoff = cutoff.UtcDateTime, unstartedCutoff = unstartedCutoff.UtcDateTime, limit }, cancellationToken: cancellationToken))];
    }

    /// <summary>
    /// Ends an upload (tus expiration) that is still open and still idle by the rule of
    /// <see cref="IdleSinceAsync"/>, and audits it; null when it moved on or ended meanwhile, else
    /// the bytes it had received. The caller holds the staging file's lock.
    /// </summary>
    public async Task<long?> ExpireAsync(Guid id, DateTimeOffset cutoff, DateTimeOffset unstartedCutoff, string actor, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE uploads SET terminated_at = @now, expired = true
            WHERE id = @id AND completed_at IS NULL AND terminated_at IS NULL
              AND (updated_at < @cutoff OR (upload_offset = 0 AND updated_at < @unstartedCutoff))
            RETURNING upload_offset AS received, upload_length AS length, api_key_id, metadata ->> 'filename' AS name, updated_at AS idle_since
            """;
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var ended = await connection.QuerySingleOrDefaultAsync<ExpiredRow>(new CommandDefinition(
            sql,
            new { id, cutoff = cutoff.UtcDateTime, unstartedCutoff = unstartedCutoff.UtcDateTime, now = now.UtcDateTime },
            transaction,
            cancellationToken: cancellationToken));
        if (ended is null)
        {
            return null;
        }

        await audit.AppendAsync(
            connection,
            transaction,
            new AuditEntry(actor, "upload.expired", "upload", id.ToString(), new { name = ended.Name, length = ended.Length, received = ended.Received, key = ended.ApiKeyId, idleSince = ended.IdleSince }),
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ended.Received;
    }

    private sealed record ExpiredRow(long Received, long Length, Guid ApiKeyId, string? Name, DateTime IdleSince);

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

    /// <summary>One lock for every decision about staging space, across ingest processes; held to the end of the transaction.</summary>
    private static async Task LockStagingAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT pg_advisory_xact_lock(hashtextextended('uploads/staging', 0))", transaction: transaction, cancellationToken: cancellationToken));

    /// <summary>The Upload-Length of the key's uploads not yet archived and not ended: what it has, or may still put, on the staging disk.</summary>
    private static async Task<long> PendingBytesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid keyId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT coalesce(sum(upload_length), 0)::bigint FROM uploads
            WHERE api_key_id = @keyId AND terminated_at IS NULL AND archived_at IS NULL
            """;
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, new { keyId }, transaction, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Whether <paramref name="bytes"/> more fit on the staging disk beside the remaining bytes of
    /// every upload (other than <paramref name="except"/>) that holds its reservation, keeping
    /// <see cref="UploadOptions.MinimumFreeBytes"/> free. Bytes a PATCH is writing right now count
    /// twice (on the disk and still as remaining), which errs on the side of refusing.
    /// </summary>
    private async Task<bool> FitsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid? except, long bytes, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT coalesce(sum(upload_length - upload_offset), 0)::bigint FROM uploads
            WHERE completed_at IS NULL AND terminated_at IS NULL
              AND (upload_offset = 0 OR updated_at >= @since)
              AND id IS DISTINCT FROM @except
            """;
        var reserved = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            sql, new { since = ReservedSince(now).UtcDateTime, except }, transaction, cancellationToken: cancellationToken));
        return staging.FreeBytes() - reserved - bytes >= options.Value.MinimumFreeBytes;
    }

    private DateTimeOffset ReservedSince(DateTimeOffset now) => now - options.Value.ReleaseIdleReservationAfter;

    private sealed record SourceRow(Guid Id, string Sha256);

    private sealed record UploadRow(
        Guid Id, Guid ApiKeyId, long UploadLength, long UploadOffset, string? MetadataHeader, string Metadata,
        DateTime CreatedAt, DateTime UpdatedAt, DateTime? CompletedAt, DateTime? ArchivedAt, string? Receipt)
    {
        public Upload ToUpload() => new(
            Id,
            ApiKeyId,
            UploadLength,
            UploadOffset,
            MetadataHeader,
            new UploadMetadata(JsonSerializer.Deserialize<Dictionary<string, string>>(Metadata) ?? []),
            Utc(CreatedAt),
            Utc(UpdatedAt),
            CompletedAt is { } completed ? Utc(completed) : null,
            ArchivedAt is { } archived ? Utc(archived) : null,
            Receipt);

        private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
    }
}
