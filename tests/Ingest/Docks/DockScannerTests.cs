using Enforcement.Media.Ingest.Docks;
using Enforcement.Media.Ingest.Receipts;
using Enforcement.Media.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Enforcement.Media.Tests.Ingest.Docks;

/// <summary>Which files a scan hands over, on a real folder tree; time moved by hand.</summary>
public sealed class DockScannerTests : IDisposable
{
    private static readonly TimeSpan StableFor = TimeSpan.FromSeconds(10);
    private readonly TempFolder _dock = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero));
    private readonly ReceiptFiles _receipts = new("receipts", NullLogger<ReceiptFiles>.Instance);
    private readonly DockScanner _scanner;

    public DockScannerTests()
    {
        _scanner = new DockScanner(_receipts, StableFor, _time, NullLogger<DockScanner>.Instance);
    }

    public void Dispose() => _dock.Dispose();

    private string Put(string relative, int length = 100)
    {
        var path = _dock.Combine(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, Bytes.Random(length, relative.Length));
        return path;
    }

    /// <summary>Scans now, then again once the stability time has passed: what a settled dock hands over.</summary>
    private DockScan ScanSettled()
    {
        _scanner.Scan(_dock.Path);
        _time.Advance(StableFor + TimeSpan.FromSeconds(1));
        return _scanner.Scan(_dock.Path);
    }

    [Fact]
    public void A_new_file_is_handed_over_only_after_it_stayed_unchanged_for_the_stability_time()
    {
        Put("bay01/DCIM/A123456_012345_20261122080000.mp4");

        Assert.Empty(_scanner.Scan(_dock.Path).Ready);
        _time.Advance(StableFor - TimeSpan.FromSeconds(1));
        Assert.Empty(_scanner.Scan(_dock.Path).Ready);
        _time.Advance(TimeSpan.FromSeconds(1));
        var file = Assert.Single(_scanner.Scan(_dock.Path).Ready);

        Assert.Equal("bay01/DCIM/A123456_012345_20261122080000.mp4", file.RelativePath);
        Assert.Equal("bay01", file.Bay);
        Assert.Equal("station:bay01", file.Actor);
        Assert.Equal(Path.GetFileName(_dock.Path), file.Station);
        Assert.Equal(100, file.Signature.Size);
    }

    [Fact]
    public void A_file_still_being_written_is_not_handed_over_until_it_stops_growing()
    {
        var path = Put("bay02/growing.mp4", 1000);
        _scanner.Scan(_dock.Path);

        for (var i = 0; i < 3; i++)
        {
            _time.Advance(StableFor + TimeSpan.FromSeconds(1));
            using (var file = new FileStream(path, FileMode.Append))
            {
                file.Write(Bytes.Random(1000, i));
            }

            Assert.Empty(_scanner.Scan(_dock.Path).Ready);
        }

        _time.Advance(StableFor);
        Assert.Equal(4000, Assert.Single(_scanner.Scan(_dock.Path).Ready).Signature.Size);
    }

    [Fact]
    public void A_file_rewritten_to_the_same_size_is_still_seen_to_change()
    {
        var path = Put("bay02/rewritten.mp4");
        _scanner.Scan(_dock.Path);
        _time.Advance(StableFor + TimeSpan.FromSeconds(1));
        File.SetLastWriteTimeUtc(path, File.GetLastWriteTimeUtc(path).AddTicks(1));

        Assert.Empty(_scanner.Scan(_dock.Path).Ready);
    }

    [Fact]
    public void A_file_waits_while_its_sidecar_is_still_being_written()
    {
        Put("bay03/clip.mp4");
        _scanner.Scan(_dock.Path);
        _time.Advance(StableFor + TimeSpan.FromSeconds(1));
        File.WriteAllText(_dock.Combine("bay03/clip.mp4.json"), "{ \"sha256\": ");

        Assert.Empty(_scanner.Scan(_dock.Path).Ready);
        _time.Advance(StableFor);
        Assert.Single(_scanner.Scan(_dock.Path).Ready);
    }

    [Fact]
    public void Every_regular_file_is_evidence_but_sidecars_receipts_and_links_are_not()
    {
        Put("bay01/A123456_012345_20261122080000.mp4");
        Put("bay01/A123456_012345_20261122080000.mp4.json");
        Put("bay01/manifest.json");
        Put("bay01/photo.JPG");
        Put("bay01/audio.wav");
        Put("bay01/.hidden-clip.mp4");
        Put("bay01/empty.mp4", 0);
        Put("bay01/notes.json");
        Put("receipts/bay01/old.mp4.receipt.json");
        Put("bay01/deep/er/and/deeper/clip.avi");
        File.CreateSymbolicLink(_dock.Combine("bay01/link.mp4"), _dock.Combine("bay01/photo.JPG"));
        Directory.CreateSymbolicLink(_dock.Combine("bay04"), _dock.Combine("bay01"));

        var ready = ScanSettled().Ready.Select(f => f.RelativePath).Order(StringComparer.Ordinal);

        Assert.Equal(
            [
                "bay01/.hidden-clip.mp4",
                "bay01/A123456_012345_20261122080000.mp4",
                "bay01/audio.wav",
                "bay01/deep/er/and/deeper/clip.avi",
                "bay01/empty.mp4",
                "bay01/notes.json",
                "bay01/photo.JPG",
            ],
            ready);
    }

    [Fact]
    public void A_file_directly_in_the_root_belongs_to_the_root_itself()
    {
        Put("loose.mp4");

        var file = Assert.Single(ScanSettled().Ready);

        Assert.Equal(Path.GetFileName(_dock.Path), file.Bay);
    }

    [Fact]
    public async Task A_file_with_a_receipt_for_its_size_and_mtime_is_receipted_not_ready_and_a_changed_file_is_ready_again()
    {
        var path = Put("bay01/done.mp4");
        var signature = FileSignature.Of(path)!.Value;
        await _receipts.WriteAsync(_dock.Path, ReceiptFor("bay01/done.mp4", signature), TestContext.Current.CancellationToken);

        var scan = ScanSettled();
        Assert.Empty(scan.Ready);
        Assert.Equal("bay01/done.mp4", Assert.Single(scan.Receipted).RelativePath);

        await File.AppendAllTextAsync(path, "more", TestContext.Current.CancellationToken);
        var again = ScanSettled();
        Assert.Empty(again.Receipted);
        Assert.Equal("bay01/done.mp4", Assert.Single(again.Ready).RelativePath);
    }

    [Fact]
    public async Task A_sidecar_left_behind_by_a_released_file_is_not_taken_for_footage()
    {
        Put("bay01/released.mp4.json");
        await _receipts.WriteAsync(_dock.Path, ReceiptFor("bay01/released.mp4", new FileSignature(1, TimeProvider.System.GetUtcNow())), TestContext.Current.CancellationToken);

        Assert.Empty(ScanSettled().Ready);
    }

    [Fact]
    public void A_root_that_is_not_there_is_scanned_as_empty_and_scanned_again_later()
    {
        var missing = _dock.Combine("not-mounted");

        Assert.Empty(_scanner.Scan(missing).Ready);
        Directory.CreateDirectory(missing);
        File.WriteAllBytes(Path.Combine(missing, "late.mp4"), [1]);
        _scanner.Scan(missing);
        _time.Advance(StableFor);
        Assert.Single(_scanner.Scan(missing).Ready);
    }

    [Fact]
    public void A_receipt_name_for_a_255_byte_source_name_fits_in_a_file_name()
    {
        var name = new string('录', 83) + "123456.mp4"[..6]; // 249 + 6 = 255 bytes
        Assert.Equal(255, System.Text.Encoding.UTF8.GetByteCount(name));

        var receiptPath = _receipts.PathFor(_dock.Path, "bay01/" + name);

        Assert.True(System.Text.Encoding.UTF8.GetByteCount(Path.GetFileName(receiptPath)) <= 255);
        Assert.EndsWith(ReceiptFiles.Suffix, receiptPath, StringComparison.Ordinal);
        Assert.NotEqual(receiptPath, _receipts.PathFor(_dock.Path, "bay01/" + name[..^1] + "7"));
    }

    private static ReceiptFile ReceiptFor(string relativePath, FileSignature signature) => new(
        ReceiptFile.CurrentFormat,
        new Receipt(new string('a', 64), signature.Size, Guid.CreateVersion7(), "file:///store", "original/aa/" + new string('a', 64), null, signature.ModifiedAt, "stored", null),
        new ReceiptSource(relativePath, signature.Size, signature.ModifiedAt, "station:bay01", "dock"),
        signature.ModifiedAt,
        []);
}
