using System.Security.Cryptography;
using Enforcement.Media.Storage.Hashing;
using Enforcement.Media.Tests.Infrastructure;

namespace Enforcement.Media.Tests.Storage;

/// <summary>
/// The one-read copy: whatever the overlap of reading, hashing and writing, the destination gets the
/// exact bytes in order and the digest is the SHA-256 of exactly those bytes.
/// </summary>
public sealed class HashingCopierTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(HashingCopier.BlockSize - 1)]
    [InlineData(HashingCopier.BlockSize)]
    [InlineData((3 * HashingCopier.BlockSize) + 12345)]
    public async Task A_copy_to_a_file_holds_the_same_bytes_and_reports_their_sha256_and_length(int size)
    {
        var content = Bytes.Random(size, seed: size);
        var path = _folder.Combine($"copy-{size}");

        HashedLength hashed;
        await using (var file = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.Asynchronous, BufferSize = 0 }))
        {
            // Reads in odd-sized pieces, as a socket or a slow disk delivers them.
            hashed = await HashingCopier.CopyAsync(new BufferedStream(new MemoryStream(content), 7919), file, null, Token);
        }

        Assert.Equal(size, hashed.Length);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), hashed.Sha256.Hex);
        Assert.Equal(content, await File.ReadAllBytesAsync(path, Token));
    }

    [Fact]
    public async Task A_failing_write_fails_the_copy()
    {
        var content = Bytes.Random((2 * HashingCopier.BlockSize) + 1, seed: 4);

        await Assert.ThrowsAsync<IOException>(() => HashingCopier.CopyAsync(new MemoryStream(content), new FailingAfter(HashingCopier.BlockSize), null, Token));
    }

    /// <summary>A destination that accepts some bytes, then fails like a full disk.</summary>
    private sealed class FailingAfter(long limit) : Stream
    {
        private long _written;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _written;

        public override long Position
        {
            get => _written;
            set => throw new NotSupportedException();
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_written + buffer.Length > limit)
            {
                throw new IOException("No space left on device");
            }

            _written += buffer.Length;
            return ValueTask.CompletedTask;
        }

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
