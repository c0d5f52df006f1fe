using Enforcement.Media.Ingest.Receipts;
using Enforcement.Media.Storage.Hashing;
using Enforcement.Media.Storage.Objects;

namespace Enforcement.Media.Ingest.Docks;

/// <summary>
/// Reads a stored original back from the evidence store and hashes it: the proof, independent of
/// the write path, that the store holds the bytes a receipt names before a source may be deleted.
/// </summary>
public sealed class StoredCopyVerifier(IEvidenceStore store)
{
    public async Task<VerifiedCopy> VerifyAsync(Receipt receipt, CancellationToken cancellationToken)
    {
        if (receipt.Store != store.Name)
        {
            throw new InvalidOperationException($"The receipt names store {receipt.Store}, but this process reads {store.Name}: the copy cannot be verified here.");
        }

        var location = new ObjectRef(receipt.ObjectKey, receipt.VersionId);
        await using var stored = await store.OpenReadAsync(location, null, cancellationToken);
        var hashed = await HashingCopier.CopyAsync(stored, Stream.Null, null, cancellationToken);
        return new VerifiedCopy(store.Name, location, hashed.Sha256, hashed.Length);
    }
}
