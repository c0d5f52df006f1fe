using Enforcement.Media.Storage.Audit.Verification;
using Enforcement.Media.Storage.Objects;

namespace Enforcement.Media.Storage.Audit.Checkpoints;

/// <summary>
/// The checkpoints as the evidence store holds them — listed from the store itself, not the catalogue,
/// so deleting catalogue rows cannot hide one. Only locked versions count: on S3 a later PUT to a
/// checkpoint's key is just a new, unlocked version beside the sealed one, and is set aside.
/// </summary>
public static class StoredCheckpoints
{
    /// <summary>A checkpoint is a few hundred bytes; anything far larger is read only this far (and then fails to parse).</summary>
    private const int MaxBytes = 64 * 1024;

    public static async Task<StoredCheckpointSet> ReadAsync(IEvidenceStore store, CancellationToken cancellationToken)
    {
        var checkpoints = new List<CheckpointObject>();
        var unlocked = new List<string>();
        await foreach (var location in store.ListAsync(ObjectKind.Checkpoint, cancellationToken))
        {
            var retention = await store.GetRetentionAsync(location, cancellationToken);
            if (retention.RetainUntil is null && !retention.LegalHold)
            {
                unlocked.Add(location.ToString());
                continue;
            }

            await using var stream = await store.OpenReadAsync(location, null, cancellationToken);
            var buffer = new byte[MaxBytes];
            var length = 0;
            int read;
            while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
            {
                length += read;
            }

            checkpoints.Add(new CheckpointObject($"{store.Name}/{location}", buffer[..length]));
        }

        return new StoredCheckpointSet(checkpoints, unlocked);
    }
}
