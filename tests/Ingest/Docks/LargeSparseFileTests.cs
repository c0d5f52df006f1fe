using System.Globalization;
using Enforcement.Media.Ingest.Docks;
using Enforcement.Media.Storage.Objects.FileSystem;
using Enforcement.Media.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Tests.Ingest.Docks;

/// <summary>A 3 GiB docked file goes through delivery and read-back verification with memory that does not grow with the file.</summary>
[Collection(nameof(ProcessMemoryCollection))]
public sealed class LargeSparseFileTests(CatalogueFixture catalogue) : IClassFixture<CatalogueFixture>, IDisposable
{
    private const long Size = 3L * 1024 * 1024 * 1024;

    /// <summary>"Far below the file size": the process grows by less than a twelfth of it while delivering.</summary>
    private const long GrowthLimit = 256L * 1024 * 1024;

    private readonly TempFolder _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task A_3_GiB_sparse_file_is_delivered_verified_and_released_with_bounded_memory()
    {
        var token = TestContext.Current.CancellationToken;
        var store = new FileSystemEvidenceStore(Options.Create(new FileSystemStoreOptions { Root = _store.Path }), TimeProvider.System, NullLogger<FileSystemEvidenceStore>.Instance);
        using var dock = new DockHarness(catalogue.DataSource, store, SourceDeletion.AfterVerified);
        var path = dock.Put("bay01/A123456_012345_20261122080000.mp4", []);
        await using (var file = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            // Zeros, then a few random bytes at the end so this run's content is its own.
            file.SetLength(Size - 64);
            file.Position = Size - 64;
            await file.WriteAsync(Bytes.Random(64, Random.Shared.Next()), token);
        }

        // The peak is measured from the resident set at the start, so what earlier test classes left
        // on the heap is not charged to the delivery; the collection runs alone so nothing else grows it.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        ResetPeakWorkingSet();
        var before = Status("VmRSS:");
        var outcome = Assert.Single(await dock.SettleAsync(token));
        var growth = Status("VmHWM:") - before;
        TestContext.Current.TestOutputHelper?.WriteLine($"working set {before / 1024 / 1024} MiB before, peak growth {growth / 1024 / 1024} MiB while delivering and verifying {Size / 1024 / 1024} MiB");

        Assert.Equal(DockFileResult.Delivered, outcome.Result);
        Assert.Equal(Size, outcome.Archived!.Size);
        Assert.True(outcome.Release!.Deleted, outcome.Release.Reason);
        Assert.Equal(Size, new FileInfo(Path.Combine(_store.Path, "objects", outcome.Archived.Location.Key)).Length);
        Assert.True(growth < GrowthLimit, $"working set grew by {growth / 1024 / 1024} MiB (from {before / 1024 / 1024} MiB) while delivering a {Size / 1024 / 1024} MiB file");
    }

    /// <summary>Linux: writing 5 to clear_refs resets the peak resident set (VmHWM) to the current one.</summary>
    private static void ResetPeakWorkingSet() => File.WriteAllText("/proc/self/clear_refs", "5");

    /// <summary>A size line of /proc/self/status (VmRSS: now, VmHWM: the peak since the reset), in bytes.</summary>
    private static long Status(string field)
    {
        var line = File.ReadLines("/proc/self/status").Single(l => l.StartsWith(field, StringComparison.Ordinal));
        return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }
}
