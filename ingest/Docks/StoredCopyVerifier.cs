using Enforcement.Media.Storage.Hashing;
using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Storage.Recordings;

namespace Enforcement.Media.Ingest.Docks;

/// <summary>
/// Reads a stored original back from the evidence store and hashes it: the proof, independent of
/// the write path, that the store holds the bytes a receipt names before a source may be deleted.
/// </summary>
public sealed class StoredCopyVerifier(IEvidenceStore store)
{
    /// <summary>Reads the original where the catalogue says it is; the store must be the one this process uses.</summary>
    public async Task<VerifiedCopy> VerifyAsync(HeldRecording held, CancellationToken cancellationToken)
    {
        if (held.Store != store.Name)
        {
            throw new InvalidOperationException($"Recording {held.RecordingId} is kept in {held.Store}, but this process reads {store.Name}: the copy cannot be verified here.");
        }

        await using var stored = await store.OpenReadAsync(held.Location, null, cancellationToken);
        var hashed = await HashingCopier.CopyAsync(stored, Stream.Null, null, cancellationToken);
        return new VerifiedCopy(store.Name, held.Location, hashed.Sha256, hashed.Length);
    }
}
