using System.Buffers;
using System.Security.Cryptography;

namespace Enforcement.Media.Storage.Hashing;

/// <summary>
/// Copies a stream to another while computing its SHA-256: the one read of the bytes that both
/// stores them and proves what they are.
/// </summary>
public static class HashingCopier
{
    public const int BlockSize = 4 * 1024 * 1024;

    /// <summary>
    /// Reads block N+1 while block N is hashed and written, and writes block N while it is hashed
    /// (both only read the block), so on two cores the copy runs at the pace of its slowest stage
    /// rather than the sum of all of them.
    /// </summary>
    public static async Task<HashedLength> CopyAsync(Stream source, Stream destination, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var current = ArrayPool<byte>.Shared.Rent(BlockSize);
        var next = ArrayPool<byte>.Shared.Rent(BlockSize);
        var pendingRead = Task.FromResult(0);
        try
        {
            var length = 0L;
            var read = await FillAsync(source, current, cancellationToken);
            while (read > 0)
            {
                pendingRead = FillAsync(source, next, cancellationToken);
                var writing = WriteAsync(destination, current, read, cancellationToken);
                try
                {
                    sha256.AppendData(current, 0, read);
                }
                finally
                {
                    // Never leave a write running on a buffer that goes back to the pool.
                    await writing;
                }

                length += read;
                progress?.Report(length);

                read = await pendingRead;
                (current, next) = (next, current);
            }

            return new HashedLength(Sha256Digest.FromBytes(sha256.GetHashAndReset()), length);
        }
        finally
        {
            // A failed write must not return a buffer the read still fills.
            await Task.WhenAny(pendingRead);
            ArrayPool<byte>.Shared.Return(current);
            ArrayPool<byte>.Shared.Return(next);
        }
    }

    /// <summary>Off this thread (a file write in the kernel, while this one hashes the same block).</summary>
    private static async Task WriteAsync(Stream destination, byte[] block, int count, CancellationToken cancellationToken)
    {
        await Task.Yield();
        await destination.WriteAsync(block.AsMemory(0, count), cancellationToken);
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
