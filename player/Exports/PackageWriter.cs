using System.IO.Compression;
using System.Text;
using Enforcement.Media.Storage.Hashing;

namespace Enforcement.Media.Player.Exports;

/// <summary>
/// Writes a package as a ZIP to a forward-only stream (the store reads the other end of the pipe), every
/// entry under one folder and hashed as it is written. Originals are stored without compression (footage
/// does not compress, and a recipient's unzip then gives back the exact bytes at disk speed); text is deflated.
/// </summary>
public sealed class PackageWriter : IAsyncDisposable
{
    private readonly ZipArchive _zip;
    private readonly string _folder;
    private readonly DateTimeOffset _timestamp;
    private readonly List<PackageEntry> _entries = [];

    private PackageWriter(ZipArchive zip, string folder, DateTimeOffset timestamp)
    {
        _zip = zip;
        _folder = folder;
        _timestamp = timestamp;
    }

    public IReadOnlyList<PackageEntry> Entries => _entries;

    public static async Task<PackageWriter> CreateAsync(Stream output, string folder, DateTimeOffset timestamp, CancellationToken cancellationToken) =>
        new(await ZipArchive.CreateAsync(output, ZipArchiveMode.Create, leaveOpen: true, Encoding.UTF8, cancellationToken), folder, timestamp);

    /// <summary>Adds one file, written by <paramref name="write"/>; returns what was written (also kept in <see cref="Entries"/>).</summary>
    public async Task<PackageEntry> AddAsync(string path, bool compress, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken, bool executable = false)
    {
        // verify.sh refuses anything else; so does the writer, before a byte is written.
        if (!PackagePaths.IsSafe(path))
        {
            throw new ArgumentException($"'{path}' is not a safe package path.", nameof(path));
        }

        var entry = _zip.CreateEntry($"{_folder}/{path}", compress ? CompressionLevel.Optimal : CompressionLevel.NoCompression);
        entry.LastWriteTime = _timestamp;

        // Unix mode in the high 16 bits (regular file, 0644 or 0755), which unzip restores.
        entry.ExternalAttributes = (executable ? 0x81ED : 0x81A4) << 16;
        await using var target = await entry.OpenAsync(cancellationToken);
        await using var hashing = new HashingWriteStream(target);
        await write(hashing, cancellationToken);
        await hashing.FlushAsync(cancellationToken);
        var hashed = hashing.Finish();
        var added = new PackageEntry(path, hashed.Sha256.Hex, hashed.Length);
        _entries.Add(added);
        return added;
    }

    public Task<PackageEntry> AddAsync(string path, byte[] content, CancellationToken cancellationToken, bool executable = false) =>
        AddAsync(path, compress: true, (stream, token) => stream.WriteAsync(content, token).AsTask(), cancellationToken, executable);

    public async ValueTask DisposeAsync() => await _zip.DisposeAsync();
}
