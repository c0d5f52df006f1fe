using System.Text.Json;
using Enforcement.Media.Ingest.Docks;
using Enforcement.Media.Ingest.Receipts;
using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Storage.Objects.FileSystem;
using Enforcement.Media.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Tests.Ingest.Docks;

/// <summary>
/// The one class that deletes sources, condition by condition: each of the four conditions alone
/// keeps the file, and only all of them together delete it. Real catalogue, real filesystem store.
/// </summary>
public sealed class SourceReleaseTests : IClassFixture<CatalogueFixture>, IDisposable
{
    private const string Relative = "bay01/A123456_012345_20261122080000.mp4";
    private readonly TempFolder _storeFolder = new();
    private readonly FileSystemEvidenceStore _store;
    private readonly DockHarness _dock;
    private readonly byte[] _content = Bytes.Random(200_000, Random.Shared.Next());
    private readonly string _path;

    public SourceReleaseTests(CatalogueFixture catalogue)
    {
        _store = new FileSystemEvidenceStore(Options.Create(new FileSystemStoreOptions { Root = _storeFolder.Path }), TimeProvider.System, NullLogger<FileSystemEvidenceStore>.Instance);
        _dock = new DockHarness(catalogue.DataSource, _store, SourceDeletion.AfterVerified);
        _path = _dock.Put(Relative, _content);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private DockedFile Docked => new(DockedFile.FullRoot(_dock.Root), Relative, _path, "bay01", FileSignature.Of(_path)!.Value);

    public void Dispose()
    {
        _dock.Dispose();
        _storeFolder.Dispose();
    }

    /// <summary>Archived and receipted, as the watcher leaves it just before asking for the release.</summary>
    private async Task<DockFileOutcome> DeliverAsync()
    {
        var outcome = await _dock.Archiver.DeliverAsync(Docked, Token);
        Assert.Equal(DockFileResult.Delivered, outcome.Result);
        return outcome;
    }

    private async Task RewriteReceiptAsync(Func<ReceiptFile, ReceiptFile> change)
    {
        var path = _dock.Receipts.PathFor(_dock.Root, Relative);
        var receipt = _dock.Receipts.TryRead(_dock.Root, Relative)!;
        await File.WriteAllBytesAsync(path, JsonSerializer.SerializeToUtf8Bytes(change(receipt), ReceiptFiles.Json), Token);
    }

    private void AssertKept(ReleaseDecision decision, string reason)
    {
        Assert.False(decision.Deleted);
        Assert.Contains(reason, decision.Reason, StringComparison.Ordinal);
        Assert.Equal(_content, File.ReadAllBytes(_path));
    }

    [Fact]
    public async Task With_receipt_commit_verified_copy_and_no_quarantine_the_source_is_deleted()
    {
        var outcome = await DeliverAsync();

        var decision = await _dock.Release.ReleaseAsync(Docked, Token);

        Assert.True(decision.Deleted, decision.Reason);
        Assert.Contains(outcome.Archived!.Sha256.Hex, decision.Reason, StringComparison.Ordinal);
        Assert.False(File.Exists(_path));
        Assert.NotNull(_dock.ReceiptOf(Relative));
    }

    [Fact]
    public async Task Under_Never_even_a_fully_verified_source_is_kept()
    {
        await DeliverAsync();
        _dock.Options.SourceDeletion = SourceDeletion.Never;

        AssertKept(await _dock.Release.ReleaseAsync(Docked, Token), "policy is Never");
    }

    [Fact]
    public async Task Without_a_receipt_on_disk_the_source_is_kept()
    {
        await DeliverAsync();
        File.Delete(_dock.Receipts.PathFor(_dock.Root, Relative));

        AssertKept(await _dock.Release.ReleaseAsync(Docked, Token), "no readable receipt");
    }

    [Fact]
    public async Task With_a_damaged_receipt_the_source_is_kept()
    {
        await DeliverAsync();
        var path = _dock.Receipts.PathFor(_dock.Root, Relative);
        var text = await File.ReadAllTextAsync(path, Token);
        await File.WriteAllTextAsync(path, text[..(text.Length / 2)], Token);

        AssertKept(await _dock.Release.ReleaseAsync(Docked, Token), "no readable receipt");
    }

    [Fact]
    public async Task With_a_receipt_for_another_version_of_the_file_the_source_is_kept()
    {
        await DeliverAsync();
        await RewriteReceiptAsync(r => r with { Source = r.Source with { Size = r.Source.Size + 1 } });

        AssertKept(await _dock.Release.ReleaseAsync(Docked, Token), "another version");
    }

    [Fact]
    public async Task When_the_catalogue_does_not_hold_the_receipted_recording_the_source_is_kept()
    {
        await DeliverAsync();
        await RewriteReceiptAsync(r => r with { Receipt = r.Receipt with { RecordingId = Guid.CreateVersion7() } });

        AssertKept(await _dock.Release.ReleaseAsync(Docked, Token), "the catalogue does not hold");
    }

    [Fact]
    public async Task The_receipt_file_names_the_filesystem_store_without_its_folder_and_releases_the_source()
    {
        await DeliverAsync();
        var text = await File.ReadAllTextAsync(_dock.Receipts.PathFor(_dock.Root, Relative), Token);

        var decision = await _dock.Release.ReleaseAsync(Docked, Token);

        Assert.Equal(PublicStoreName.FileSystem, _dock.ReceiptOf(Relative)!.Receipt.Store);
        Assert.DoesNotContain(_storeFolder.Path, text, StringComparison.Ordinal);
        Assert.DoesNotContain("file:", text, StringComparison.Ordinal);
        Assert.True(decision.Deleted, decision.Reason);
    }

    [Fact]
    public async Task A_receipt_written_when_receipts_named_the_stores_folder_still_releases_the_source()
    {
        await DeliverAsync();
        await RewriteReceiptAsync(r => r with { Receipt = r.Receipt with { Store = _store.Name } });

        var decision = await _dock.Release.ReleaseAsync(Docked, Token);

        Assert.StartsWith("file:///", _store.Name, StringComparison.Ordinal);
        Assert.True(decision.Deleted, decision.Reason);
    }

    [Fact]
    public async Task With_a_receipt_naming_another_store_the_source_is_kept()
    {
        await DeliverAsync();
        await RewriteReceiptAsync(r => r with { Receipt = r.Receipt with { Store = "s3://evidence" } });

        AssertKept(await _dock.Release.ReleaseAsync(Docked, Token), "the catalogue does not hold");
    }

    [Fact]
    public async Task When_the_stored_copy_reads_back_differently_the_source_is_kept_and_the_alarm_raised()
    {
        var outcome = await DeliverAsync();
        var stored = Path.Combine(_storeFolder.Path, "objects", outcome.Archived!.Location.Key);
        File.SetUnixFileMode(stored, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await using (var file = new FileStream(stored, FileMode.Open, FileAccess.Write))
        {
            file.Position = 1000;
            file.WriteByte((byte)~_content[1000]);
        }

        var decision = await _dock.Release.ReleaseAsync(Docked, Token);

        AssertKept(decision, "stored copy reads back as");
        Assert.True(decision.Final);
        Assert.Contains(_dock.Logs.Events, e => e.Level == LogLevel.Critical && Equals(e.Properties.GetValueOrDefault("SourcePath"), _path));
    }

    [Fact]
    public async Task When_the_stored_copy_is_missing_the_release_fails_and_the_source_is_kept()
    {
        var outcome = await DeliverAsync();
        var stored = Path.Combine(_storeFolder.Path, "objects", outcome.Archived!.Location.Key);
        File.Move(stored, stored + ".moved-away");

        await Assert.ThrowsAsync<ObjectNotFoundException>(() => _dock.Release.ReleaseAsync(Docked, Token));

        Assert.Equal(_content, await File.ReadAllBytesAsync(_path, Token));
    }

    [Fact]
    public async Task A_quarantined_delivery_is_kept_even_though_its_bytes_are_safely_stored()
    {
        await File.WriteAllTextAsync(_path + ".json", """{ "md5": "00000000000000000000000000000000" }""", Token);
        var outcome = await DeliverAsync();
        Assert.NotNull(outcome.Archived!.QuarantineReason);

        var decision = await _dock.Release.ReleaseAsync(Docked, Token);

        AssertKept(decision, "quarantined");
        Assert.True(decision.Final);
    }

    [Fact]
    public async Task A_source_changed_after_it_was_archived_is_kept()
    {
        await DeliverAsync();
        var archived = Docked;
        File.SetLastWriteTimeUtc(_path, File.GetLastWriteTimeUtc(_path).AddSeconds(1));

        AssertKept(await _dock.Release.ReleaseAsync(archived, Token), "changed or vanished");
    }

    [Fact]
    public async Task A_file_that_changed_between_the_scan_and_its_reading_is_neither_archived_nor_receipted()
    {
        var scanned = Docked;
        await File.AppendAllTextAsync(_path, "late bytes", Token);

        var outcome = await _dock.Archiver.DeliverAsync(scanned, Token);

        Assert.Equal(DockFileResult.ChangedWhileRead, outcome.Result);
        Assert.Null(outcome.Archived);
        Assert.Null(_dock.ReceiptOf(Relative));
    }
}
