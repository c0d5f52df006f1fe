using System.Buffers;
using System.Security.Cryptography;

namespace Enforcement.Media.Storage.Hashing;

/// <summary>
/// Copies a stream to another while computing its SHA-256: the one read of the bytes that both
/// stores them and proves what they are.
/// </summary>
/// <remarks>
/// The source is read in blocks (<see cref="BlockSize"/>, few calls), but each block is hashed and
/// written a slice (<see cref="SliceSize"/>) at a time: a slice is written while it is still in the
/// CPU's cache from being hashed. Hashing a whole 4 MiB block and then writing it makes the write
/// read the block from memory again; on the two-core development machine that made the copy 2.5×
/// slower (README, "Benchmarks"). Three things overlap: the next block is read while this one is
/// hashed, and each slice is written (on another thread, in order) while the next one is hashed.
/// </remarks>
public static class HashingCopier
{
    public const int BlockSize = 4 * 1024 * 1024;

    public const int SliceSize = 128 * 1024;

    public static async Task<HashedLength> CopyAsync(Stream source, Stream destination, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var current = ArrayPool<byte>.Shared.Rent(BlockSize);
        var next = ArrayPool<byte>.Shared.Rent(BlockSize);
        var pendingRead = Task.FromResult(0);
        var writes = Task.CompletedTask;
        try
        {
            var length = 0L;
            var read = await FillAsync(source, current, cancellationToken);
            while (read > 0)
            {
                // The writes still queued all come from 'current': 'next' is free to fill.
                pendingRead = FillAsync(source, next, cancellationToken);
                for (var offset = 0; offset < read; offset += SliceSize)
                {
                    var slice = current.AsMemory(offset, Math.Min(SliceSize, read - offset));
                    sha256.AppendData(slice.Span);
                    writes = WriteAfterAsync(writes, destination, slice, cancellationToken);
                }

                // Before 'current' is refilled (it becomes 'next'), every write from it must be done.
                await writes;
                length += read;
                progress?.Report(length);

                read = await pendingRead;
                (current, next) = (next, current);
            }

            return new HashedLength(Sha256Digest.FromBytes(sha256.GetHashAndReset()), length);
        }
        finally
        {
            // Never hand a buffer back to the pool while a read fills it or a write still reads it.
            await Task.WhenAny(writes);
            await Task.WhenAny(pendingRead);
            ArrayPool<byte>.Shared.Return(current);
            ArrayPool<byte>.Shared.Return(next);
        }
    }

    /// <summary>
    /// Writes <paramref name="slice"/> once <paramref name="previous"/> has, off this thread (a file
    /// write in the kernel, while this one hashes the next slice). A failed write fails every later one.
    /// </summary>
    private static async Task WriteAfterAsync(Task previous, Stream destination, ReadOnlyMemory<byte> slice, CancellationToken cancellationToken)
    {
        await previous.ConfigureAwait(false);
        await Task.Yield();
        await destination.WriteAsync(slice, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Fills <paramref name="buffer"/> up to <see cref="BlockSize"/>; fewer bytes only at the end of the stream.</summary>
    internal static async Task<int> FillAsync(Stream source, byte[] buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < BlockSize)
        {
            var read = await source.ReadAsync(buffer.AsMemory(filled, BlockSize - filled), cancellationToken);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled;
    }
}
