using System.Buffers;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Ingest.Uploads;

/// <summary>
/// Appends one PATCH body to an upload's staging file, streaming (one pooled buffer, never the
/// whole chunk in memory), under the file's exclusive lock. The recorded offset only ever counts
/// bytes that were fsynced first, so after a crash the file is cut back to it and the client
/// resumes from there. Long PATCHes without a checksum are checkpointed as they go; a chunk with
/// <c>Upload-Checksum</c> is all or nothing.
/// </summary>
public sealed partial class ChunkReceiver(UploadStore uploads, StagingArea staging, IOptions<UploadOptions> options, ILogger<ChunkReceiver> logger)
{
    /// <summary>
    /// Small on purpose: each block is written to the page cache while still in the CPU's cache, which
    /// measured several times faster than 1 MiB writes on the development machine (see
    /// <see cref="Storage.Hashing.HashingCopier"/>).
    /// </summary>
    private const int BufferSize = Storage.Hashing.HashingCopier.SliceSize;

    public async Task<PatchOutcome> ReceiveAsync(Upload upload, long clientOffset, ChunkChecksum? checksum, Stream body, long? contentLength, CancellationToken requestAborted)
    {
        if (upload.IsComplete)
        {
            // Leave a finished upload's file alone: the archive job may be reading it.
            return Finished(upload, clientOffset, contentLength);
        }

        await using var file = staging.TryOpenExclusive(upload.Id);
        if (file is null)
        {
            return new PatchOutcome(PatchResult.Locked, upload.Offset);
        }

        // Read again under the lock: another request may have moved the offset since.
        var current = await uploads.FindAsync(upload.Id, upload.ApiKeyId, requestAborted);
        if (current is null)
        {
            // Terminated or expired meanwhile, its bytes removed: do not leave the file this open re-created.
            staging.Delete(upload.Id);
            return new PatchOutcome(PatchResult.NotFound, 0);
        }

        if (current.IsComplete)
        {
            return Finished(current, clientOffset, contentLength);
        }

        if (file.Length < current.Offset)
        {
            // Bytes we had confirmed are gone (the file was damaged or removed outside this service):
            // say so loudly and let the client send them again rather than archive a hole.
            LogStagingShort(current.Id, file.Length, current.Offset);
            await uploads.RewindAsync(current.Id, file.Length, requestAborted);
            return new PatchOutcome(PatchResult.OffsetMismatch, file.Length);
        }

        if (file.Length > current.Offset)
        {
            // Unconfirmed bytes from a process that died mid-PATCH: the client resends them.
            file.SetLength(current.Offset);
        }

        if (clientOffset != current.Offset)
        {
            return new PatchOutcome(PatchResult.OffsetMismatch, current.Offset);
        }

        if (contentLength > current.Remaining)
        {
            return new PatchOutcome(PatchResult.TooLong, current.Offset);
        }

        // An upload that holds its reservation was promised its remaining bytes; one whose reservation
        // lapsed while it idled must find them again beside every live reservation, or wait.
        if (uploads.HoldsReservation(current)
            ? staging.FreeBytes() - current.Remaining < options.Value.MinimumFreeBytes
            : !await uploads.ReserveAgainAsync(current, requestAborted))
        {
            LogInsufficientStorage(current.Id, current.Remaining, options.Value.MinimumFreeBytes);
            return new PatchOutcome(PatchResult.InsufficientStorage, current.Offset);
        }

        file.Position = current.Offset;
        return await AppendAsync(current, file, checksum, body, requestAborted);
    }

    private async Task<PatchOutcome> AppendAsync(Upload upload, FileStream file, ChunkChecksum? checksum, Stream body, CancellationToken requestAborted)
    {
        var start = upload.Offset;
        var committed = start;
        var written = start;
        var checkpoint = checksum is null ? options.Value.CheckpointBytes : long.MaxValue;
        using var hash = checksum?.CreateHash();
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            var filled = 0;
            var clientGone = false;
            while (true)
            {
                int read;
                try
                {
                    read = await body.ReadAsync(buffer.AsMemory(filled, BufferSize - filled), requestAborted);
                }
                catch (Exception ex) when (ex is IOException or OperationCanceledException)
                {
                    // Connection reset, body shorter than its Content-Length, or the request aborted.
                    clientGone = true;
                    read = 0;
                }

                if (written + filled + read > upload.Length)
                {
                    Discard(file, committed);
                    return new PatchOutcome(PatchResult.TooLong, committed);
                }

                filled += read;
                var end = read == 0;
                if (filled == BufferSize || (end && filled > 0 && !(clientGone && checksum is not null)))
                {
                    hash?.AppendData(buffer, 0, filled);
                    if (!await TryWriteAsync(file, buffer.AsMemory(0, filled)))
                    {
                        Discard(file, committed);
                        LogDiskFull(upload.Id, committed);
                        return new PatchOutcome(PatchResult.InsufficientStorage, committed);
                    }

                    written += filled;
                    filled = 0;
                    if (!end && written - committed >= checkpoint && written < upload.Length)
                    {
                        RandomAccess.FlushToDisk(file.SafeFileHandle);
                        await uploads.AdvanceAsync(upload, committed, written, CancellationToken.None);
                        committed = written;
                    }
                }

                if (end)
                {
                    break;
                }
            }

            if (checksum is not null && (clientGone || !CryptographicOperations.FixedTimeEquals(hash!.GetHashAndReset(), checksum.Expected)))
            {
                // Checksum extension: a chunk that does not match, or was cut short, is discarded whole.
                Discard(file, start);
                if (!clientGone)
                {
                    LogChecksumMismatch(upload.Id, start, written - start);
                }

                return new PatchOutcome(clientGone ? PatchResult.ClientGone : PatchResult.ChecksumMismatch, start);
            }

            // Durable first, recorded second: the offset never claims bytes a crash could lose.
            RandomAccess.FlushToDisk(file.SafeFileHandle);
            if (written > committed)
            {
                await uploads.AdvanceAsync(upload, committed, written, CancellationToken.None);
            }
            if (clientGone)
            {
                LogClientGone(upload.Id, written);
                return new PatchOutcome(PatchResult.ClientGone, written);
            }

            return new PatchOutcome(PatchResult.Appended, written, written == upload.Length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>A PATCH to a finished upload: an empty one at its end is answered like the last one was; anything else is a conflict.</summary>
    private static PatchOutcome Finished(Upload upload, long clientOffset, long? contentLength) =>
        clientOffset == upload.Length && contentLength is null or 0
            ? new PatchOutcome(PatchResult.Appended, upload.Length, Completed: true)
            : new PatchOutcome(PatchResult.OffsetMismatch, upload.Length);

    /// <summary>Writes a block; false when the disk is full (the caller cuts the file back and answers 507).</summary>
    private static async Task<bool> TryWriteAsync(FileStream file, ReadOnlyMemory<byte> block)
    {
        try
        {
            await file.WriteAsync(block, CancellationToken.None);
            return true;
        }
        catch (IOException ex) when (StagingArea.IsDiskFull(ex))
        {
            return false;
        }
    }

    /// <summary>Cuts the file back to the bytes that stay: checkpoints already recorded are kept, the rest goes.</summary>
    private static void Discard(FileStream file, long keep)
    {
        file.SetLength(keep);
        RandomAccess.FlushToDisk(file.SafeFileHandle);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Upload {UploadId}: the client went away mid-chunk; {Offset} bytes are kept for it to resume from")]
    private partial void LogClientGone(Guid uploadId, long offset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upload {UploadId}: chunk of {Bytes} bytes at offset {Offset} failed its checksum and was discarded")]
    private partial void LogChecksumMismatch(Guid uploadId, long offset, long bytes);

    [LoggerMessage(Level = LogLevel.Error, Message = "Upload {UploadId}: the staging disk is full; cut back to the confirmed {Offset} bytes")]
    private partial void LogDiskFull(Guid uploadId, long offset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upload {UploadId}: refused, {Remaining} more bytes would leave less than {MinimumFreeBytes} bytes free on the staging disk beside the space reserved")]
    private partial void LogInsufficientStorage(Guid uploadId, long remaining, long minimumFreeBytes);

    [LoggerMessage(Level = LogLevel.Error, Message = "Upload {UploadId}: its staging file holds {FileLength} bytes but {Offset} were confirmed; rewound so the client sends them again")]
    private partial void LogStagingShort(Guid uploadId, long fileLength, long offset);
}
