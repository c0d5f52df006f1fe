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

    /// <summary>Reads this many checkpoint objects at once: each costs a few round trips to the store.</summary>
    private const int Concurrency = 8;

    public static async Task<StoredCheckpointSet> ReadAsync(IEvidenceStore store, CancellationToken cancellationToken)
    {
        var locations = new List<ObjectRef>();
        await foreach (var location in store.ListAsync(ObjectKind.Checkpoint, cancellationToken))
        {
            locations.Add(location);
        }

        var checkpoints = new System.Collections.Concurrent.ConcurrentBag<CheckpointObject>();
        var unlocked = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(
            locations,
            new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken },
            async (location, token) =>
            {
                var retention = await store.GetRetentionAsync(location, token);
                if (retention.RetainUntil is null && !retention.LegalHold)
                {
                    unlocked.Add(location.ToString());
                    return;
                }

                checkpoints.Add(new CheckpointObject($"{store.Name}/{location}", await ReadCappedAsync(store, location, token)));
            });

        return new StoredCheckpointSet([.. checkpoints.OrderBy(c => c.Source, StringComparer.Ordinal)], [.. unlocked.Order(StringComparer.Ordinal)]);
    }

    private static async Task<byte[]> ReadCappedAsync(IEvidenceStore store, ObjectRef location, CancellationToken cancellationToken)
    {
        await using var stream = await store.OpenReadAsync(location, null, cancellationToken);
        var buffer = new byte[MaxBytes];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }

        return buffer[..length];
    }
}
