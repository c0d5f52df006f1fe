using System.Runtime.InteropServices;
using Enforcement.Media.Storage.Objects.FileSystem;
using Enforcement.Media.Tests.Infrastructure;

namespace Enforcement.Media.Tests.Storage;

/// <summary>
/// Writing past the page cache: whatever the sizes written and however they fall on block boundaries,
/// the file holds exactly the bytes given, no more, and the kernel really had O_DIRECT set on it.
/// </summary>
public sealed class DirectWriteStreamTests : IDisposable
{
    /// <summary>O_DIRECT as /proc/self/fdinfo shows it (octal 040000 on x86-64, 0200000 on ARM).</summary>
    private static readonly int DirectFlag = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 ? 0x10000 : 0x4000;

    private readonly TempFolder _folder = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4095)]
    [InlineData(4096)]
    [InlineData(DirectWriteStream.BlockSize - 1)]
    [InlineData(DirectWriteStream.BlockSize)]
    [InlineData(DirectWriteStream.BlockSize + 1)]
    [InlineData((3 * DirectWriteStream.BlockSize) + 12345)]
    public async Task The_file_holds_exactly_the_bytes_written_in_pieces_of_any_size(int size)
    {
        var content = Bytes.Random(size, seed: size);
        var path = _folder.Combine($"direct-{size}");

        await using (var file = DirectWriteStream.CreateNew(path))
        {
            // The test folder is on the machine's disk (ext4 here), which takes direct I/O.
            Assert.True(file.IsDirect);
            Assert.True(OpenFlagsOf(path) is { } flags && (flags & DirectFlag) != 0, "the kernel's file has no O_DIRECT");

            // Odd-sized pieces, so writes straddle every block boundary.
            var random = new Random(size);
            for (var offset = 0; offset < size;)
            {
                var piece = Math.Min(size - offset, random.Next(1, 300_000));
                await file.WriteAsync(content.AsMemory(offset, piece), Token);
                offset += piece;
            }

            Assert.Equal(size, file.Position);
            await file.CompleteAsync(Token);
        }

        Assert.Equal(content, await File.ReadAllBytesAsync(path, Token));
        Assert.Null(OpenFlagsOf(path));
    }

    [Fact]
    public async Task Synchronous_writes_make_the_same_file()
    {
        var content = Bytes.Random((2 * DirectWriteStream.BlockSize) + 777, seed: 8);
        var path = _folder.Combine("sync");

        using (var file = DirectWriteStream.CreateNew(path))
        {
            for (var offset = 0; offset < content.Length; offset += 65_537)
            {
#pragma warning disable CA1849 // The synchronous path is what this test is about.
                file.Write(content, offset, Math.Min(65_537, content.Length - offset));
#pragma warning restore CA1849
            }

            await file.CompleteAsync(Token);
        }

        Assert.Equal(content, await File.ReadAllBytesAsync(path, Token));
    }

    [Fact]
    public async Task Nothing_is_written_after_the_file_is_complete_and_an_existing_file_is_never_opened()
    {
        var path = _folder.Combine("complete");
        await using (var file = DirectWriteStream.CreateNew(path))
        {
            await file.WriteAsync(new byte[] { 1, 2, 3 }, Token);
            await file.CompleteAsync(Token);

            await Assert.ThrowsAsync<ObjectDisposedException>(() => file.WriteAsync(new byte[] { 4 }, Token).AsTask());
            Assert.Throws<ObjectDisposedException>(() => file.Write([5]));
        }

        Assert.Throws<IOException>(() => DirectWriteStream.CreateNew(path).Dispose());
        Assert.Equal([1, 2, 3], await File.ReadAllBytesAsync(path, Token));
    }

    [Fact]
    public async Task A_stream_disposed_unfinished_closes_its_file()
    {
        var path = _folder.Combine("unfinished");
        await using (var file = DirectWriteStream.CreateNew(path))
        {
            await file.WriteAsync(Bytes.Random(DirectWriteStream.BlockSize + 10, seed: 9), Token);
        }

        // The full block reached the file; the partial one never did (the store deletes such a file).
        Assert.Null(OpenFlagsOf(path));
        Assert.Equal(DirectWriteStream.BlockSize, new FileInfo(path).Length);
    }

    /// <summary>The open flags of this process's descriptor for <paramref name="path"/>, or null if none is open.</summary>
    private static int? OpenFlagsOf(string path)
    {
        foreach (var link in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            if (new FileInfo(link).LinkTarget == path)
            {
                var line = File.ReadLines($"/proc/self/fdinfo/{Path.GetFileName(link)}").First(l => l.StartsWith("flags:", StringComparison.Ordinal));
                return Convert.ToInt32(line["flags:".Length..].Trim(), 8);
            }
        }

        return null;
    }
}
