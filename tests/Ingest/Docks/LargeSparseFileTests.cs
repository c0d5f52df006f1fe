using System.Globalization;
using Enforcement.Media.Ingest.Docks;
using Enforcement.Media.Storage.Objects.FileSystem;
using Enforcement.Media.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Tests.Ingest.Docks;

/// <summary>A 3 GiB docked file goes through delivery and read-back verification with memory that does not grow with the file.</summary>
public sealed class LargeSparseFileTests(CatalogueFixture catalogue) : IClassFixture<CatalogueFixture>, IDisposable
{
    private const long Size = 3L * 1024 * 1024 * 1024;

    /// <summary>"Far below the file size": the whole test process, other tests included, stays under a third of it.</summary>
    private const long PeakLimit = 1L * 1024 * 1024 * 1024;

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

        ResetPeakWorkingSet();
        var outcome = Assert.Single(await dock.SettleAsync(token));
        var peak = PeakWorkingSet();
        TestContext.Current.TestOutputHelper?.WriteLine($"peak working set while delivering and verifying {Size / 1024 / 1024} MiB: {peak / 1024 / 1024} MiB");

        Assert.Equal(DockFileResult.Delivered, outcome.Result);
        Assert.Equal(Size, outcome.Archived!.Size);
        Assert.True(outcome.Release!.Deleted, outcome.Release.Reason);
        Assert.Equal(Size, new FileInfo(Path.Combine(_store.Path, "objects", outcome.Archived.Location.Key)).Length);
        Assert.True(peak < PeakLimit, $"peak working set {peak / 1024 / 1024} MiB while delivering a {Size / 1024 / 1024} MiB file");
    }

    /// <summary>Linux: writing 5 to clear_refs resets the peak resident set (VmHWM) to the current one.</summary>
    private static void ResetPeakWorkingSet() => File.WriteAllText("/proc/self/clear_refs", "5");

    private static long PeakWorkingSet()
    {
        var line = File.ReadLines("/proc/self/status").Single(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }
}
