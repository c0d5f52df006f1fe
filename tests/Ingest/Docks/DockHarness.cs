using Enforcement.Media.Ingest.Docks;
using Enforcement.Media.Ingest.Receipts;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Storage.Recordings;
using Enforcement.Media.Storage.Retention;
using Enforcement.Media.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Enforcement.Media.Tests.Ingest.Docks;

/// <summary>
/// The dock watcher wired by hand, as the host wires it, over a real catalogue and a real store,
/// with a dock folder of its own and a clock the test moves.
/// </summary>
public sealed class DockHarness : IDisposable
{
    public static readonly TimeSpan StableFor = TimeSpan.FromSeconds(10);

    private static readonly TimeZoneInfo China = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    /// <param name="clock">The watcher's clock; the fake clock <see cref="Time"/> unless a test runs the real loop.</param>
    public DockHarness(NpgsqlDataSource catalogue, IEvidenceStore store, SourceDeletion deletion = SourceDeletion.Never, string? root = null, TimeProvider? clock = null, DockOptions? options = null)
    {
        Root = root ?? Dock.Path;
        Options = options ?? new DockOptions { StableFor = StableFor, SourceDeletion = deletion };
        Options.Roots.Add(Root);
        var time = clock ?? Time;
        Receipts = new ReceiptFiles(Options.ReceiptsFolder, Logs.For<ReceiptFiles>());
        var archive = new RecordingArchive(
            catalogue,
            store,
            new PendingWriteStore(catalogue),
            new AuditTrail(catalogue, TimeProvider.System),
            new RetentionPolicy(Microsoft.Extensions.Options.Options.Create(new RetentionOptions()), TimeProvider.System),
            TimeProvider.System,
            NullLogger<RecordingArchive>.Instance);
        var watched = Microsoft.Extensions.Options.Options.Create(Options);
        var scanner = new DockScanner(Receipts, Options.StableFor, time, Logs.For<DockScanner>());
        var archiver = new DockArchiver(archive, new DeliveryReader(China), Receipts, new AuditTrail(catalogue, TimeProvider.System), time, Logs.For<DockArchiver>());
        Release = new SourceRelease(watched, Receipts, new CatalogueConfirmation(catalogue, new StoredCopyVerifier(store), Logs.For<CatalogueConfirmation>()), Logs.For<SourceRelease>());
        Watcher = new DockWatcher(scanner, archiver, Release, watched, time, Logs.For<DockWatcher>());
        Archiver = archiver;
    }

    public TempFolder Dock { get; } = new();

    public string Root { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero));

    public LogCapture Logs { get; } = new();

    public DockOptions Options { get; }

    public ReceiptFiles Receipts { get; }

    public DockArchiver Archiver { get; }

    public SourceRelease Release { get; }

    public DockWatcher Watcher { get; }

    public string Put(string relative, byte[] content)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return path;
    }

    /// <summary>One pass now (new files are only noticed), then one after the stability time (they are processed).</summary>
    public async Task<IReadOnlyList<DockFileOutcome>> SettleAsync(CancellationToken cancellationToken)
    {
        var first = await Watcher.ScanOnceAsync(cancellationToken);
        Time.Advance(StableFor + TimeSpan.FromSeconds(1));
        var second = await Watcher.ScanOnceAsync(cancellationToken);
        return [.. first, .. second];
    }

    /// <summary>Moves the clock past any retry delay and scans again.</summary>
    public async Task<IReadOnlyList<DockFileOutcome>> RetryAsync(CancellationToken cancellationToken)
    {
        Time.Advance(Options.MaxRetryDelay + TimeSpan.FromSeconds(1));
        return await Watcher.ScanOnceAsync(cancellationToken);
    }

    public ReceiptFile? ReceiptOf(string relative) => Receipts.TryRead(Root, relative);

    public void Dispose()
    {
        Logs.Dispose();
        Dock.Dispose();
    }
}
