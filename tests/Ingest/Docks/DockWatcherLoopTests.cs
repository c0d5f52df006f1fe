using System.Security.Cryptography;
using Enforcement.Media.Ingest.Docks;
using Enforcement.Media.Storage.Objects.FileSystem;
using Enforcement.Media.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Tests.Ingest.Docks;

/// <summary>The watcher as the host runs it: its own scan loop and workers, on the real clock.</summary>
public sealed class DockWatcherLoopTests(CatalogueFixture catalogue) : IClassFixture<CatalogueFixture>, IDisposable
{
    /// <summary>How long the test waits for the loop (not a speed requirement: the loop needs well under a second).</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly TempFolder _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task The_running_watcher_delivers_what_it_can_keeps_running_through_a_failing_file_and_delivers_that_one_once_it_can()
    {
        var token = TestContext.Current.CancellationToken;
        var store = new FileSystemEvidenceStore(Options.Create(new FileSystemStoreOptions { Root = _store.Path }), TimeProvider.System, NullLogger<FileSystemEvidenceStore>.Instance);
        var options = new DockOptions
        {
            ScanInterval = TimeSpan.FromMilliseconds(100),
            StableFor = TimeSpan.FromMilliseconds(300),
            MaxRetryDelay = TimeSpan.FromMilliseconds(400),
            Concurrency = 2,
            SourceDeletion = SourceDeletion.AfterVerified,
        };
        using var dock = new DockHarness(catalogue.DataSource, store, clock: TimeProvider.System, options: options);
        var contents = Enumerable.Range(1, 6).ToDictionary(i => $"bay0{i % 3}/A123456_01234{i}_20261122080000.mp4", _ => Bytes.Random(300_000, Random.Shared.Next()));
        foreach (var (path, content) in contents)
        {
            dock.Put(path, content);
        }

        // bay09's receipts folder cannot be created (a file is in the way): its file fails until that is fixed.
        var blocked = dock.Put("bay09/A123456_012345_20261122090000.mp4", Bytes.Random(1000, Random.Shared.Next()));
        dock.Put("receipts/bay09", []);

        await dock.Watcher.StartAsync(token);
        try
        {
            await Until(() => contents.Keys.All(p => !File.Exists(Path.Combine(dock.Root, p))), "the six deliverable files to be delivered and released", token);
            await Until(() => dock.Logs.Events.Count(e => e.Level == LogLevel.Error && Equals(e.Properties.GetValueOrDefault("SourcePath"), blocked)) >= 2, "the blocked file to fail at least twice", token);
            Assert.True(File.Exists(blocked));

            File.Delete(Path.Combine(dock.Root, "receipts", "bay09"));
            await Until(() => !File.Exists(blocked), "the unblocked file to be delivered and released", token);
        }
        finally
        {
            await dock.Watcher.StopAsync(CancellationToken.None);
        }

        foreach (var (path, content) in contents)
        {
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), dock.ReceiptOf(path)?.Receipt.Sha256);
        }

        Assert.NotNull(dock.ReceiptOf("bay09/A123456_012345_20261122090000.mp4"));
    }

    private static async Task Until(Func<bool> condition, string what, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Patience);
        while (!condition())
        {
            try
            {
                await Task.Delay(50, timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                Assert.Fail($"Waited {Patience.TotalSeconds} s for {what}.");
            }
        }
    }
}
