using Enforcement.Media.Ingest.Docks;
using Enforcement.Media.Ingest.Receipts;
using Enforcement.Media.Storage.Hashing;
using Enforcement.Media.Storage.Objects;

namespace Enforcement.Media.Ingest.Agent;

/// <summary>
/// The station agent's confirmation before <see cref="SourceRelease"/> deletes: asked again at
/// release time, the ingest server's catalogue receipt for the SHA-256 must name the same
/// recording, size and stored object as the receipt on disk — which the agent wrote only after that
/// SHA-256 and size equalled what it read from the recorder itself. The server issues a receipt
/// only after the store confirmed the object's checksum and the catalogue committed it.
/// </summary>
public sealed partial class ServerReceiptConfirmation(ServerReceipts server, ILogger<ServerReceiptConfirmation> logger) : IArchiveConfirmation
{
    public async Task<Confirmation> ConfirmAsync(Receipt receipt, string sourcePath, CancellationToken cancellationToken)
    {
        var held = await server.FindAsync(Sha256Digest.Parse(receipt.Sha256), cancellationToken);
        if (held is null)
        {
            LogNotHeld(sourcePath, receipt.Sha256);
            return Confirmation.Refused($"the ingest server holds no recording with SHA-256 {receipt.Sha256}");
        }

        // Store names compared in their public form: a receipt written before the server named stores so carries a folder.
        if (!Sha256Digest.TryParse(held.Sha256, out var heldSha256) || heldSha256 != Sha256Digest.Parse(receipt.Sha256)
            || held.Size != receipt.Size || held.RecordingId != receipt.RecordingId
            || PublicStoreName.Of(held.Store) != PublicStoreName.Of(receipt.Store) || held.ObjectKey != receipt.ObjectKey || held.VersionId != receipt.VersionId)
        {
            LogDiffers(sourcePath, held.Sha256, held.Size, held.RecordingId, receipt.Sha256, receipt.Size, receipt.RecordingId);
            return Confirmation.Refused($"the ingest server's receipt (SHA-256 {held.Sha256}, {held.Size} bytes, recording {held.RecordingId}) is not the one written here (SHA-256 {receipt.Sha256}, {receipt.Size} bytes, recording {receipt.RecordingId})");
        }

        if (held.QuarantineReason is { } quarantine)
        {
            return Confirmation.Refused($"the ingest server holds it quarantined: {quarantine}");
        }

        return Confirmation.Held($"the ingest server holds recording {held.RecordingId} with SHA-256 {held.Sha256} ({held.Size} bytes) in {held.Store}");
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "The ingest server holds no recording with SHA-256 {Sha256} although {SourcePath} was receipted for it; the source is kept")]
    private partial void LogNotHeld(string sourcePath, string sha256);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The ingest server's receipt for {SourcePath} ({ServerSha256}, {ServerSize} bytes, recording {ServerRecordingId}) differs from the one written here ({ReceiptSha256}, {ReceiptSize} bytes, recording {ReceiptRecordingId}); the source is kept")]
    private partial void LogDiffers(string sourcePath, string serverSha256, long serverSize, Guid serverRecordingId, string receiptSha256, long receiptSize, Guid receiptRecordingId);
}
