using System.Security.Cryptography;
using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Storage.Objects.FileSystem;
using Enforcement.Media.Storage.Startup;
using Enforcement.Media.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Enforcement.Media.Tests.Storage;

public sealed class FileSystemEvidenceStoreTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero));
    private readonly FileSystemEvidenceStore _store;

    public FileSystemEvidenceStoreTests()
    {
        _store = new FileSystemEvidenceStore(Options.Create(new FileSystemStoreOptions { Root = _folder.Path }), _time, NullLogger<FileSystemEvidenceStore>.Instance);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _folder.Dispose();

    private async Task<SealedObject> StoreAsync(byte[] content, TimeSpan retention, bool legalHold = false)
    {
        var pending = await _store.WriteAsync(ObjectWrite.New(ObjectKind.Original), new MemoryStream(content), null, Token);
        return await _store.SealAsync(pending, new ObjectLock(_time.GetUtcNow() + retention, legalHold), Token);
    }

    [Fact]
    public async Task A_stored_object_has_the_sha256_of_its_bytes_and_reads_back_exactly()
    {
        await _store.EnsureReadyAsync(Token);
        var content = Bytes.Random(9 * 1024 * 1024 + 17, seed: 1);

        var stored = await StoreAsync(content, TimeSpan.FromDays(180));

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), stored.Sha256.Hex);
        Assert.Equal(content.Length, stored.Size);
        Assert.Equal(content, await Bytes.ReadAllAsync(await _store.OpenReadAsync(stored.Location, null, Token), Token));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(5, 4_194_310)]
    [InlineData(4_194_303, 4_194_304)]
    [InlineData(1_000_000, 4_999_999)]
    public async Task A_range_read_returns_exactly_the_bytes_asked_for(long first, long last)
    {
        var content = Bytes.Random(5_000_000, seed: 2);
        var stored = await StoreAsync(content, TimeSpan.FromDays(1));

        var read = await Bytes.ReadAllAsync(await _store.OpenReadAsync(stored.Location, new ByteRange(first, last), Token), Token);

        Assert.Equal(content[(int)first..(int)(last + 1)], read);
    }

    [Fact]
    public async Task A_range_beyond_the_end_is_refused()
    {
        var stored = await StoreAsync(Bytes.Random(100, seed: 3), TimeSpan.FromDays(1));

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _store.OpenReadAsync(stored.Location, new ByteRange(50, 100), Token));
    }

    [Fact]
    public async Task The_same_content_stored_twice_is_one_object()
    {
        var content = Bytes.Random(1000, seed: 4);

        var first = await StoreAsync(content, TimeSpan.FromDays(10));
        var second = await StoreAsync(content, TimeSpan.FromDays(20));

        Assert.False(first.AlreadyStored);
        Assert.True(second.AlreadyStored);
        Assert.Equal(first.Location, second.Location);
        Assert.Single(Directory.EnumerateFiles(_folder.Combine("objects"), "*", SearchOption.AllDirectories));
        Assert.Empty(Directory.EnumerateFiles(_folder.Combine("staging")));
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromDays(20), (await _store.GetRetentionAsync(first.Location, Token)).RetainUntil);
    }

    [Fact]
    public async Task A_sealed_object_is_a_read_only_file()
    {
        var stored = await StoreAsync(Bytes.Random(10, seed: 5), TimeSpan.FromDays(1));

        var mode = File.GetUnixFileMode(_folder.Combine("objects", stored.Location.Key));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead, mode);
    }

    [Fact]
    public async Task A_locked_object_cannot_be_deleted_until_its_retention_ends()
    {
        var stored = await StoreAsync(Bytes.Random(10, seed: 6), TimeSpan.FromDays(180));

        await Assert.ThrowsAsync<ObjectLockedException>(() => _store.DeleteAsync(stored.Location, Token));
        Assert.NotNull(await _store.HeadAsync(stored.Location, Token));

        _time.Advance(TimeSpan.FromDays(181));
        await _store.DeleteAsync(stored.Location, Token);
        Assert.Null(await _store.HeadAsync(stored.Location, Token));
    }

    [Fact]
    public async Task Retention_can_be_extended_but_never_shortened()
    {
        var stored = await StoreAsync(Bytes.Random(10, seed: 7), TimeSpan.FromDays(180));
        var longer = _time.GetUtcNow() + TimeSpan.FromDays(400);

        var extended = await _store.ExtendRetentionAsync(stored.Location, longer, Token);
        var notShortened = await _store.ExtendRetentionAsync(stored.Location, _time.GetUtcNow() + TimeSpan.FromDays(1), Token);

        Assert.Equal(longer, extended.RetainUntil);
        Assert.Equal(longer, notShortened.RetainUntil);
        Assert.Equal(longer, (await _store.GetRetentionAsync(stored.Location, Token)).RetainUntil);
    }

    [Fact]
    public async Task A_legal_hold_blocks_deletion_after_the_retention_has_ended()
    {
        var stored = await StoreAsync(Bytes.Random(10, seed: 8), TimeSpan.FromDays(1));
        await _store.SetLegalHoldAsync(stored.Location, true, Token);
        _time.Advance(TimeSpan.FromDays(30));

        var refused = await Assert.ThrowsAsync<ObjectLockedException>(() => _store.DeleteAsync(stored.Location, Token));
        Assert.Contains("legal hold", refused.Message, StringComparison.Ordinal);

        await _store.SetLegalHoldAsync(stored.Location, false, Token);
        await _store.DeleteAsync(stored.Location, Token);
        Assert.Null(await _store.HeadAsync(stored.Location, Token));
    }

    [Fact]
    public async Task Sealing_other_bytes_never_replaces_a_stored_object()
    {
        var content = Bytes.Random(64, seed: 9);
        var stored = await StoreAsync(content, TimeSpan.FromDays(1));
        var path = _folder.Combine("objects", stored.Location.Key);
        var before = File.GetLastWriteTimeUtc(path);

        await StoreAsync(content, TimeSpan.FromDays(2));
        await StoreAsync(Bytes.Random(64, seed: 10), TimeSpan.FromDays(2));

        Assert.Equal(content, await File.ReadAllBytesAsync(path, Token));
        Assert.Equal(before, File.GetLastWriteTimeUtc(path));
    }

    [Theory]
    [InlineData("../retention/x.json")]
    [InlineData("../../etc/passwd")]
    [InlineData("/etc/passwd")]
    public async Task A_key_that_escapes_the_store_is_refused(string key)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _store.OpenReadAsync(new ObjectRef(key, null), null, Token));
        await Assert.ThrowsAsync<ArgumentException>(() => _store.DeleteAsync(new ObjectRef(key, null), Token));
    }

    [Fact]
    public async Task A_write_that_fails_midway_leaves_nothing_behind()
    {
        await _store.EnsureReadyAsync(Token);

        await Assert.ThrowsAsync<IOException>(() => _store.WriteAsync(ObjectWrite.New(ObjectKind.Original), new FailingStream(5_000_000), null, Token));

        Assert.Empty(Directory.EnumerateFiles(_folder.Combine("staging")));
        Assert.Empty(Directory.EnumerateFiles(_folder.Combine("objects"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Abandoning_a_write_removes_its_staging_file_only()
    {
        var kept = await _store.WriteAsync(ObjectWrite.New(ObjectKind.Original), new MemoryStream([1, 2, 3]), null, Token);
        var abandoned = await _store.WriteAsync(ObjectWrite.New(ObjectKind.Original), new MemoryStream([4, 5, 6]), null, Token);

        await _store.AbandonAsync(abandoned.Write, Token);

        Assert.Equal([$"{kept.Write.WriteId:N}.part"], Directory.EnumerateFiles(_folder.Combine("staging")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task An_unwritable_root_stops_start_up_naming_the_setting()
    {
        await File.WriteAllTextAsync(_folder.Combine("not-a-folder"), "x", Token);
        var store = new FileSystemEvidenceStore(Options.Create(new FileSystemStoreOptions { Root = _folder.Combine("not-a-folder", "evidence") }), _time, NullLogger<FileSystemEvidenceStore>.Instance);

        var error = await Assert.ThrowsAsync<StartupCheckException>(() => store.EnsureReadyAsync(Token));

        Assert.Equal("Store:FileSystem:Root", error.Setting);
    }

    [Fact]
    public async Task Progress_reports_every_byte_written()
    {
        var content = Bytes.Random(10 * 1024 * 1024, seed: 11);
        var reported = new List<long>();

        await _store.WriteAsync(ObjectWrite.New(ObjectKind.Original), new MemoryStream(content), new SynchronousProgress(reported.Add), Token);

        Assert.Equal(content.Length, reported[^1]);
        Assert.True(reported.SequenceEqual(reported.Order()), "progress only grows");
    }

    private sealed class SynchronousProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }

    /// <summary>Yields <paramref name="failAfter"/> bytes, then fails like a yanked USB cable.</summary>
    private sealed class FailingStream(long failAfter) : MemoryStream(new byte[failAfter])
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await base.ReadAsync(buffer, cancellationToken);
            return read == 0 ? throw new IOException("device disconnected") : read;
        }
    }
}
