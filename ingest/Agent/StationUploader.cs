using System.Globalization;
using System.Net;
using Enforcement.Media.Ingest.Docks;
using Enforcement.Media.Ingest.Receipts;
using Enforcement.Media.Ingest.Uploads.Client;
using Enforcement.Media.Storage.Hashing;
using Enforcement.Media.Storage.Recordings;

namespace Enforcement.Media.Ingest.Agent;

/// <summary>
/// Delivers one docked file from a station PC: describes it (GA/T 947 name and sidecars), uploads it
/// over tus with the station's key while hashing it in the same read, resumes the upload remembered
/// in <see cref="UploadStateFile"/>, and writes the receipt beside the source only when both the
/// upload's receipt and the catalogue's (<c>GET /api/v1/receipts/{sha256}</c>) name the SHA-256 and
/// size read here. Never deletes anything: that is <see cref="SourceRelease"/>'s decision, later.
/// </summary>
/// <remarks>
/// A sidecar hash is sent as the <c>sha256</c>/<c>md5</c> claim: when it does not match, the server
/// stores the bytes quarantined and the receipt says so, which keeps the source for good.
/// </remarks>
public sealed partial class StationUploader(
    TusClient tus,
    ServerReceipts server,
    UploadStateFile state,
    DeliveryReader reader,
    ReceiptFiles receipts,
    TimeProvider time,
    ILogger<StationUploader> logger) : IDockDelivery
{
    public async Task<DockFileOutcome> DeliverAsync(DockedFile file, CancellationToken cancellationToken)
    {
        // First, so a receipts folder that cannot be written fails before anything is sent.
        receipts.Prepare(file.Root, file.RelativePath);
        var described = reader.Describe(file.FullPath, SourceKind.Station, file.Actor, file.Station, file.Signature.ModifiedAt);
        foreach (var problem in described.Problems)
        {
            LogSidecarProblem(file.FullPath, problem);
        }

        var started = time.GetTimestamp();
        TusUpload upload;
        Receipt receipt;
        try
        {
            upload = await UploadAsync(file, Metadata(file, described.Delivery), cancellationToken);
            if (upload.Length != file.Signature.Size || FileSignature.Of(file.FullPath) is not { } after || !after.SameAs(file.Signature))
            {
                // The server keeps what it was sent (evidence too); a receipt would describe a file that no longer exists.
                await state.ForgetAsync(file, cancellationToken);
                LogChanged(file.FullPath, upload.Location);
                return new DockFileOutcome(file, DockFileResult.ChangedWhileRead);
            }

            receipt = await ConfirmAsync(file, upload, cancellationToken);
        }
        catch (TusUploadException ex) when (StationKeyRefusedException.Refuses(ex.StatusCode))
        {
            throw new StationKeyRefusedException(server.Server, ex.StatusCode!.Value, ex);
        }

        var elapsed = time.GetElapsedTime(started);
        var receiptPath = await receipts.WriteAsync(
            file.Root,
            new ReceiptFile(
                ReceiptFile.CurrentFormat,
                receipt,
                new ReceiptSource(file.RelativePath, file.Signature.Size, file.Signature.ModifiedAt, file.Actor, file.Station),
                time.GetUtcNow(),
                described.Problems),
            cancellationToken);
        await state.ForgetAsync(file, cancellationToken);

        var megabytesPerSecond = upload.Length / 1_000_000d / Math.Max(elapsed.TotalSeconds, 0.001);
        if (receipt.QuarantineReason is { } quarantine)
        {
            LogUploadedQuarantined(file.FullPath, receipt.Sha256, receipt.RecordingId, receipt.Size, quarantine);
        }
        else
        {
            LogUploaded(file.FullPath, receipt.Sha256, receipt.RecordingId, receipt.Outcome, receipt.Size, elapsed.TotalMilliseconds, megabytesPerSecond);
        }

        return new DockFileOutcome(file, DockFileResult.Delivered, ReceiptPath: receiptPath, Receipt: receipt);
    }

    /// <summary>Resumes the upload remembered for this file, or creates one and remembers it before sending a byte.</summary>
    private async Task<TusUpload> UploadAsync(DockedFile file, Dictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        if (await state.FindAsync(file, cancellationToken) is { } earlier)
        {
            LogResuming(file.FullPath, earlier);
            try
            {
                return await tus.UploadAsync(file.FullPath, earlier, null, cancellationToken);
            }
            catch (TusUploadException ex) when (ex.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
            {
                // Terminated or expired on the server: the bytes it held are gone, so send the file again.
                LogUploadGone(file.FullPath, earlier);
            }
        }

        var location = await tus.CreateAsync(file.Signature.Size, metadata, cancellationToken);
        await state.RememberAsync(file, location, cancellationToken);
        LogCreated(file.FullPath, location, file.Signature.Size);
        return await tus.UploadAsync(file.FullPath, location, null, cancellationToken);
    }

    /// <summary>
    /// The upload's receipt and the catalogue's must both name the SHA-256 and size read here;
    /// otherwise nothing is written, the source stays, and the file is tried again later.
    /// </summary>
    private async Task<Receipt> ConfirmAsync(DockedFile file, TusUpload upload, CancellationToken cancellationToken)
    {
        var delivered = await tus.WaitForReceiptAsync(upload.Location, cancellationToken);
        Check(file, upload, delivered, "the upload's receipt");
        var held = await server.FindAsync(upload.Sha256, cancellationToken)
            ?? throw new ReceiptMismatchException($"{file.FullPath}: the upload was receipted, but GET /api/v1/receipts/{upload.Sha256.Hex} finds no recording; the source is kept.");
        Check(file, upload, held, "the catalogue's receipt");
        if (held.RecordingId != delivered.RecordingId)
        {
            throw new ReceiptMismatchException($"{file.FullPath}: the upload's receipt names recording {delivered.RecordingId}, the catalogue's {held.RecordingId}; the source is kept.");
        }

        // A quarantine on either keeps the source for good.
        return delivered with { QuarantineReason = delivered.QuarantineReason ?? held.QuarantineReason };
    }

    private void Check(DockedFile file, TusUpload upload, Receipt receipt, string which)
    {
        if (Sha256Digest.TryParse(receipt.Sha256, out var sha256) && sha256 == upload.Sha256 && receipt.Size == upload.Length)
        {
            return;
        }

        LogReceiptMismatch(file.FullPath, which, receipt.Sha256, receipt.Size, upload.Sha256.Hex, upload.Length);
        throw new ReceiptMismatchException(
            $"{file.FullPath}: {which} names SHA-256 {receipt.Sha256} ({receipt.Size} bytes), but the agent read {upload.Sha256.Hex} ({upload.Length} bytes); no receipt is written and the source is kept.");
    }

    /// <summary>tus <c>Upload-Metadata</c> as the server reads it (see UploadMetadata), from the name and sidecars.</summary>
    private static Dictionary<string, string> Metadata(DockedFile file, Delivery delivery)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["filename"] = delivery.OriginalName,
            ["source_path"] = file.RelativePath,
            ["bay"] = file.Bay,
            ["modified_at"] = Iso(file.Signature.ModifiedAt),
        };
        Add(metadata, "device_serial", delivery.DeviceSerial);
        Add(metadata, "officer_id", delivery.OfficerId);
        Add(metadata, "unit_code", delivery.UnitCode);
        Add(metadata, "case_code", delivery.CaseCode);
        Add(metadata, "recorded_at", delivery.RecorderStartedAt is { } recorded ? Iso(recorded) : null);
        Add(metadata, "clock_offset_seconds", delivery.RecorderClockOffsetSeconds?.ToString(CultureInfo.InvariantCulture));
        Add(metadata, "sha256", delivery.ClaimedSha256);
        Add(metadata, "md5", delivery.ClaimedMd5);
        Add(metadata, "content_type", delivery.ContentType);
        if (delivery.Important)
        {
            metadata["important"] = "true";
        }

        return metadata;
    }

    private static void Add(Dictionary<string, string> metadata, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            metadata[key] = value;
        }
    }

    private static string Iso(DateTimeOffset value) => value.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffffzzz", CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sidecar problem for {SourcePath}: {Problem}; the file is uploaded with what could be read")]
    private partial void LogSidecarProblem(string sourcePath, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Uploading {SourcePath} ({Size} bytes) to {UploadUrl}")]
    private partial void LogCreated(string sourcePath, Uri uploadUrl, long size);

    [LoggerMessage(Level = LogLevel.Information, Message = "Resuming the upload of {SourcePath} at {UploadUrl} from the server's offset")]
    private partial void LogResuming(string sourcePath, Uri uploadUrl);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The upload of {SourcePath} at {UploadUrl} no longer exists on the server; starting a new one")]
    private partial void LogUploadGone(string sourcePath, Uri uploadUrl);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Docked file {SourcePath} changed while it was uploaded to {UploadUrl}; the server keeps what it was sent, and the file is uploaded again once stable")]
    private partial void LogChanged(string sourcePath, Uri uploadUrl);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Refused {Which} for {SourcePath}: it names {ReceiptSha256} ({ReceiptSize} bytes) but the agent read {Sha256} ({Size} bytes); no receipt written, the source is kept")]
    private partial void LogReceiptMismatch(string sourcePath, string which, string receiptSha256, long receiptSize, string sha256, long size);

    [LoggerMessage(Level = LogLevel.Information, Message = "Uploaded {SourcePath}: {Sha256} recording {RecordingId} {Outcome}, {Size} bytes in {ElapsedMs:F0} ms ({MegabytesPerSecond:F1} MB/s)")]
    private partial void LogUploaded(string sourcePath, string sha256, Guid recordingId, string outcome, long size, double elapsedMs, double megabytesPerSecond);

    [LoggerMessage(Level = LogLevel.Error, Message = "Uploaded {SourcePath} QUARANTINED: {Sha256} recording {RecordingId}, {Size} bytes: {QuarantineReason}; the station's hash does not match what was read, the source is never deleted")]
    private partial void LogUploadedQuarantined(string sourcePath, string sha256, Guid recordingId, long size, string quarantineReason);
}
