using Enforcement.Media.Ingest.Receipts;
using Enforcement.Media.Storage.Hashing;
using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Storage.Recordings;
using Npgsql;

namespace Enforcement.Media.Ingest.Docks;

/// <summary>
/// The central worker's confirmation: the catalogue has committed the recording the receipt names,
/// with that SHA-256 and object, and the stored object, read back from the evidence store, hashes
/// to the receipt's SHA-256 and size.
/// </summary>
public sealed partial class CatalogueConfirmation(NpgsqlDataSource catalogue, StoredCopyVerifier verifier, ILogger<CatalogueConfirmation> logger) : IArchiveConfirmation
{
    public async Task<Confirmation> ConfirmAsync(Receipt receipt, string sourcePath, CancellationToken cancellationToken)
    {
        var sha256 = Sha256Digest.Parse(receipt.Sha256);
        HeldRecording? held;
        await using (var connection = await catalogue.OpenConnectionAsync(cancellationToken))
        {
            held = await RecordingStore.FindBySha256Async(connection, null, sha256, cancellationToken);
        }

        // Both names in their public form: receipts written before receipts named stores publicly carry the folder.
        if (held is null || held.RecordingId != receipt.RecordingId || held.Size != receipt.Size
            || PublicStoreName.Of(held.Store) != PublicStoreName.Of(receipt.Store) || held.Location != new ObjectRef(receipt.ObjectKey, receipt.VersionId))
        {
            return Confirmation.Refused($"the catalogue does not hold recording {receipt.RecordingId} with SHA-256 {receipt.Sha256} where the receipt says");
        }

        var copy = await verifier.VerifyAsync(held, cancellationToken);
        if (copy.Sha256 != sha256 || copy.Size != receipt.Size)
        {
            LogStoredCopyDiffers(sourcePath, copy.Location, copy.Sha256.Hex, receipt.Sha256);
            return Confirmation.Refused($"the stored copy reads back as SHA-256 {copy.Sha256.Hex} ({copy.Size} bytes), not {receipt.Sha256} ({receipt.Size} bytes)");
        }

        return Confirmation.Held($"recording {receipt.RecordingId} committed, stored copy read back as {copy.Sha256.Hex}");
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "Stored copy {Location} of {SourcePath} reads back as {StoredSha256}, not {ReceiptSha256}: the evidence store does not hold what it confirmed; the source is kept")]
    private partial void LogStoredCopyDiffers(string sourcePath, ObjectRef location, string storedSha256, string receiptSha256);
}
