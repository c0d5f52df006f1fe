using Enforcement.Media.Ingest.Receipts;
using Enforcement.Media.Storage.Objects.FileSystem;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Ingest.Docks;

/// <summary>
/// The only code in ingest that deletes a source file (a guard test enforces it). Under
/// <see cref="SourceDeletion.AfterVerified"/> it deletes a docked file only when it has itself
/// established, from durable state rather than from anything a caller says:
/// <list type="number">
/// <item>the file's receipt is on disk (written and fsynced before this runs) and describes the file
/// as it is now (same size and mtime);</item>
/// <item>the archive confirms it holds what the receipt names (<see cref="IArchiveConfirmation"/>): in the
/// central worker, the catalogue has committed the recording with that SHA-256 and object and the stored
/// object, read back from the evidence store, hashes to the receipt's SHA-256 and size; on a station
/// agent, the ingest server's receipt for that SHA-256 names the same recording, size and object;</item>
/// <item>the delivery was not quarantined (a mismatch with the station's hash means the station's
/// copy may be the good one).</item>
/// </list>
/// Anything else keeps the file. Because every check is made from durable state, a process that died
/// between writing a receipt and deleting the source finishes the job on its next pass.
/// </summary>
public sealed partial class SourceRelease(
    IOptions<DockOptions> options,
    ReceiptFiles receipts,
    IArchiveConfirmation archive,
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

        // 2 and 3. The archive holds it.
        var confirmation = await archive.ConfirmAsync(receipt, file.FullPath, cancellationToken);
        if (!confirmation.Confirmed)
        {
            return new ReleaseDecision(false, confirmation.Reason, confirmation.Final);
        }

        // The bytes about to be deleted must still be the bytes that were archived.
        if (FileSignature.Of(file.FullPath) is not { } now || !now.SameAs(file.Signature))
        {
            return ReleaseDecision.KeptForNow("the file changed or vanished since it was archived");
        }

        var path = file.FullPath;
        File.Delete(path);
        DirectorySync.Flush(Path.GetDirectoryName(path)!);
        return new ReleaseDecision(true, $"receipt written, {confirmation.Reason}", Final: true);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted source {SourcePath} ({Size} bytes): {Reason}")]
    private partial void LogDeleted(string sourcePath, long size, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Kept source {SourcePath}: {Reason}")]
    private partial void LogKept(string sourcePath, string reason);
}
