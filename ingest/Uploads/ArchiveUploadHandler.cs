using System.Text.Json;
using Enforcement.Media.Ingest.Receipts;
using Enforcement.Media.Storage.Jobs;
using Enforcement.Media.Storage.Recordings;
using Enforcement.Media.Storage.Stations;
using Npgsql;

namespace Enforcement.Media.Ingest.Uploads;

/// <summary>
/// <c>archive-upload</c>: turns a completed upload into a catalogued, write-once original through
/// <see cref="RecordingArchive"/> (its metadata hashes become claims, so a mismatch is quarantined,
/// never dropped), records the receipt, and only then deletes the staging file. Any failure (store
/// or catalogue down) throws: the job is retried with backoff and the staged bytes wait.
/// </summary>
public sealed partial class ArchiveUploadHandler(
    UploadStore uploads,
    ApiKeyStore keys,
    StagingArea staging,
    RecordingArchive archive,
    NpgsqlDataSource dataSource,
    ILogger<ArchiveUploadHandler> logger) : IJobHandler
{
    public const string JobKind = "archive-upload";

    /// <summary>Evidence is never given up on: with the worker's backoff capped (10 min by default) this keeps trying for days.</summary>
    public const int MaxAttempts = 1000;

    public string Kind => JobKind;

    public static JobRequest Request(Guid uploadId) => new(JobKind, null, new ArchiveUploadPayload(uploadId), MaxAttempts: MaxAttempts);

    public async Task HandleAsync(ClaimedJob job, CancellationToken cancellationToken)
    {
        var uploadId = JsonSerializer.Deserialize<ArchiveUploadPayload>(job.Payload)?.UploadId
            ?? throw new InvalidDataException($"Job {job.Id} has no upload id in its payload.");
        var upload = await uploads.FindAsync(uploadId, cancellationToken)
            ?? throw new InvalidOperationException($"Upload {uploadId:N} does not exist or was terminated.");
        if (!upload.IsComplete)
        {
            throw new InvalidOperationException($"Upload {uploadId:N} is not complete ({upload.Offset} of {upload.Length} bytes).");
        }

        if (upload.ArchivedAt is null)
        {
            var key = await keys.FindAsync(upload.ApiKeyId.ToString(), cancellationToken)
                ?? throw new InvalidOperationException($"Upload {uploadId:N} names key {upload.ApiKeyId}, which does not exist.");
            await ArchiveAsync(upload, key, cancellationToken);
        }

        // Only now, with the catalogue committed and the receipt recorded, may the staged copy go.
        if (staging.Exists(uploadId))
        {
            staging.Delete(uploadId);
        }
    }

    private async Task ArchiveAsync(Upload upload, ApiKey key, CancellationToken cancellationToken)
    {
        if (await uploads.FindArchivedSourceAsync(upload.Id, cancellationToken) is { } earlier)
        {
            // An earlier attempt committed the recording and died before recording the receipt.
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var held = await RecordingStore.FindBySha256Async(connection, null, earlier.Sha256, cancellationToken)
                ?? throw new InvalidOperationException($"Upload {upload.Id:N}: its source names recording {earlier.Sha256.Hex}, which the catalogue does not hold.");
            await uploads.SaveReceiptAsync(upload.Id, held.RecordingId, earlier.SourceId, Receipt.From(held), cancellationToken);
            LogArchived(upload.Id, earlier.Sha256.Hex, held.RecordingId, ArchiveOutcome.AlreadyHeld);
            return;
        }

        await using var content = staging.OpenRead(upload.Id);
        if (content.Length != upload.Length)
        {
            // Never archive a file that is not what the client sent: leave it for an operator, loudly.
            throw new InvalidDataException($"Upload {upload.Id:N}: the staging file holds {content.Length} bytes, but {upload.Length} were confirmed.");
        }

        var archived = await archive.ArchiveAsync(content, upload.Metadata.ToDelivery(upload.Id, key), null, cancellationToken);
        await uploads.SaveReceiptAsync(upload.Id, archived.RecordingId, archived.SourceId, Receipt.From(archived), cancellationToken);
        var sha256 = archived.Sha256.Hex;
        LogArchived(upload.Id, sha256, archived.RecordingId, archived.Outcome);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Upload {UploadId} archived as recording {RecordingId} {Sha256} ({Outcome})")]
    private partial void LogArchived(Guid uploadId, string sha256, Guid recordingId, ArchiveOutcome outcome);
}
