using Enforcement.Media.Ingest.Receipts;
using Enforcement.Media.Storage.Hashing;
using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Storage.Objects.FileSystem;
using Enforcement.Media.Storage.Recordings;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Enforcement.Media.Ingest.Docks;

/// <summary>
/// The only code in ingest that deletes a source file (a guard test enforces it). Under
/// <see cref="SourceDeletion.AfterVerified"/> it deletes a docked file only when it has itself
/// established, from durable state rather than from anything a caller says:
/// <list type="number">
/// <item>the file's receipt is on disk (written and fsynced before this runs) and describes the file
/// as it is now (same size and mtime);</item>
/// <item>the catalogue has committed the recording the receipt names, with that SHA-256 and object;</item>
/// <item>the stored object, read back from the evidence store, hashes to the receipt's SHA-256 and size;</item>
/// <item>the delivery was not quarantined (a mismatch with the station's hash means the station's
/// copy may be the good one).</item>
/// </list>
/// Anything else keeps the file. Because every check is made from durable state, a process that died
/// between writing a receipt and deleting the source finishes the job on its next pass.
/// </summary>
public sealed partial class SourceRelease(
    IOptions<DockOptions> options,
    ReceiptFiles receipts,
    NpgsqlDataSource catalogue,
    StoredCopyVerifier verifier,
    ILogger<SourceRelease> logger)
{
    public async Task<ReleaseDecision> ReleaseAsync(DockedFile file, CancellationToken cancellationToken)
    {
        var decision = await DecideAsync(file, cancellationToken);
        if (decision.Deleted)
        {
            LogDeleted(file.FullPath, file.Signature.Size, decision.Reason);
        }
        else if (options.Value.SourceDeletion == SourceDeletion.AfterVerified)
        {
            LogKept(file.FullPath, decision.Reason);
        }

        return decision;
    }

    private async Task<ReleaseDecision> DecideAsync(DockedFile file, CancellationToken cancellationToken)
    {
        if (options.Value.SourceDeletion != SourceDeletion.AfterVerified)
        {
            return ReleaseDecision.KeptForGood("the source deletion policy is Never");
        }

        // 1. The durable receipt, for this file as it is now.
        if (receipts.TryRead(file.Root, file.RelativePath) is not { } written)
        {
            return ReleaseDecision.KeptForNow("it has no readable receipt");
        }

        if (!new FileSignature(written.Source.Size, written.Source.ModifiedAt).SameAs(file.Signature))
        {
            return ReleaseDecision.KeptForNow("its receipt is for another version of the file (size or mtime differ)");
        }

        var receipt = written.Receipt;

        // 4. Quarantined: never.
        if (receipt.QuarantineReason is { } quarantine)
        {
            return ReleaseDecision.KeptForGood($"the delivery is quarantined: {quarantine}");
        }

        // 2. The catalogue committed it.
        var sha256 = Sha256Digest.Parse(receipt.Sha256);
        HeldRecording? held;
        await using (var connection = await catalogue.OpenConnectionAsync(cancellationToken))
        {
            held = await RecordingStore.FindBySha256Async(connection, null, sha256, cancellationToken);
        }

        if (held is null || held.RecordingId != receipt.RecordingId || held.Size != receipt.Size
            || held.Store != receipt.Store || held.Location != new ObjectRef(receipt.ObjectKey, receipt.VersionId))
        {
            return ReleaseDecision.KeptForGood($"the catalogue does not hold recording {receipt.RecordingId} with SHA-256 {receipt.Sha256} where the receipt says");
        }

        // 3. The store gives the same bytes back.
        var copy = await verifier.VerifyAsync(receipt, cancellationToken);
        if (copy.Sha256 != sha256 || copy.Size != receipt.Size)
        {
            LogStoredCopyDiffers(file.FullPath, copy.Location, copy.Sha256.Hex, receipt.Sha256);
            return ReleaseDecision.KeptForGood($"the stored copy reads back as SHA-256 {copy.Sha256.Hex} ({copy.Size} bytes), not {receipt.Sha256} ({receipt.Size} bytes)");
        }

        // The bytes about to be deleted must still be the bytes that were archived.
        if (FileSignature.Of(file.FullPath) is not { } now || !now.SameAs(file.Signature))
        {
            return ReleaseDecision.KeptForNow("the file changed or vanished since it was archived");
        }

        var path = file.FullPath;
        File.Delete(path);
        DirectorySync.Flush(Path.GetDirectoryName(path)!);
        return new ReleaseDecision(true, $"receipt written, recording {receipt.RecordingId} committed, stored copy read back as {copy.Sha256.Hex}", Final: true);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted source {SourcePath} ({Size} bytes): {Reason}")]
    private partial void LogDeleted(string sourcePath, long size, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Kept source {SourcePath}: {Reason}")]
    private partial void LogKept(string sourcePath, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Stored copy {Location} of {SourcePath} reads back as {StoredSha256}, not {ReceiptSha256}: the evidence store does not hold what it confirmed; the source is kept")]
    private partial void LogStoredCopyDiffers(string sourcePath, ObjectRef location, string storedSha256, string receiptSha256);
}
