using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Fixity;
using Enforcement.Media.Storage.Objects.FileSystem;
using Enforcement.Media.Storage.Recordings;
using Enforcement.Media.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Enforcement.Media.Tests.Ingest.Fixity;

/// <summary>A catalogue and a filesystem evidence store of their own, with originals archived through the real pipeline.</summary>
public sealed class FixityScenario : IAsyncDisposable
{
    private readonly TempFolder _folder = new();

    private FixityScenario(CatalogueFixture catalogue, TimeProvider time)
    {
        Catalogue = catalogue;
        Time = time;
        Store = new FileSystemEvidenceStore(Microsoft.Extensions.Options.Options.Create(new FileSystemStoreOptions { Root = StoreRoot }), TimeProvider.System, NullLogger<FileSystemEvidenceStore>.Instance);
    }

    public CatalogueFixture Catalogue { get; }

    public TimeProvider Time { get; }

    public FileSystemEvidenceStore Store { get; }

    public string StoreRoot => _folder.Combine("evidence");

    public FixityOptions Options { get; } = new();

    public static async Task<FixityScenario> StartAsync(TimeProvider? time = null)
    {
        var catalogue = new CatalogueFixture();
        await catalogue.InitializeAsync();
        var scenario = new FixityScenario(catalogue, time ?? TimeProvider.System);
        await scenario.Store.EnsureReadyAsync(CancellationToken.None);
        return scenario;
    }

    public FixityChecker Checker(ILogger<FixityChecker>? logger = null, FixityMetrics? metrics = null) => new(
        Catalogue.DataSource, Store, new AuditTrail(Catalogue.DataSource, Time), Microsoft.Extensions.Options.Options.Create(Options), Time, logger ?? NullLogger<FixityChecker>.Instance, metrics);

    /// <summary>Archives <paramref name="count"/> distinct originals through the real pipeline.</summary>
    public async Task<List<ArchivedRecording>> ArchiveAsync(int count, CancellationToken cancellationToken)
    {
        var archive = new ArchiveHarness(Catalogue, Store).Archive;
        var archived = new List<ArchivedRecording>();
        for (var i = 0; i < count; i++)
        {
            archived.Add(await archive.ArchiveAsync(new MemoryStream(Bytes.Random(200_000 + i, Random.Shared.Next())), ArchiveHarness.Delivery($"A00{i:D4}_123456_20261122080000.mp4"), null, cancellationToken));
        }

        return archived;
    }

    /// <summary>The file holding a stored original, as an administrator with shell access sees it.</summary>
    public string PathOf(ArchivedRecording recording) => System.IO.Path.Combine(StoreRoot, "objects", recording.Location.Key);

    /// <summary>What a root user can do to the filesystem store: make the read-only file writable and change one byte.</summary>
    public async Task AlterOneByteAsync(ArchivedRecording recording, CancellationToken cancellationToken)
    {
        var path = PathOf(recording);
        var mode = File.GetUnixFileMode(path);
        File.SetUnixFileMode(path, mode | UnixFileMode.UserWrite);
        var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        bytes[bytes.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(path, bytes, cancellationToken);
        File.SetUnixFileMode(path, mode);
    }

    public Dictionary<string, string> Environment() => new()
    {
        ["ConnectionStrings__Catalogue"] = TestServices.PostgresConnection,
        ["Catalogue__Schema"] = Catalogue.Schema,
        ["Store__Kind"] = "FileSystem",
        ["Store__FileSystem__Root"] = StoreRoot,
    };

    public async ValueTask DisposeAsync()
    {
        await Catalogue.DisposeAsync();
        _folder.Dispose();
    }
}
