using System.Security.Cryptography;
using Enforcement.Media.Ingest.Receipts;
using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Storage.Objects.FileSystem;
using Enforcement.Media.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Tests.Ingest.KillTest;

/// <summary>
/// The kill test for docked recorders under <c>after-verified</c> deletion: files of two recorders
/// (one content under two names) in a dock folder, <c>ingest run</c> SIGKILLed mid-copy, mid-commit,
/// while sealing, mid-delete or anywhere, restarted until every source is gone.
/// </summary>
public abstract class DockKillTests(CatalogueFixture catalogue) : KillTestBase(catalogue)
{
    private string DockRoot => Folder.Combine("dock");

    [Fact]
    public async Task Docked_files_survive_random_SIGKILLs_each_stored_once_and_deleted_only_with_a_matching_receipt()
    {
        await WithSeedOnFailureAsync(async () =>
        {
            var files = PutRecorderFiles();
            var receipts = new ReceiptFiles("receipts", NullLogger<ReceiptFiles>.Instance);
            var environment = Environment(new Dictionary<string, string>
            {
                ["Docks__Roots__0"] = DockRoot,
                ["Docks__ScanInterval"] = "00:00:00.200",
                ["Docks__StableFor"] = "00:00:00.500",
                ["Docks__MaxRetryDelay"] = "00:00:01",
                ["Docks__SourceDeletion"] = "AfterVerified",
            });
            KillPoint[] points =
            [
                AnyMoment,
                WhenCatalogueShows("mid-copy", "SELECT count(*) FROM pending_writes WHERE state = 'writing'"),
                WhenCatalogueShows("mid-commit", "SELECT count(*) FROM pending_writes WHERE state IN ('written', 'sealing')"),
                WhenCatalogueShows("while sealing", "SELECT count(*) FROM pending_writes WHERE state = 'sealing'"),
                new("mid-delete", () => Task.FromResult(files.Any(f => File.Exists(f.Path) && File.Exists(receipts.PathFor(DockRoot, f.Relative))))),
            ];

            await RunUntilDoneAsync(environment, points, (_, _) => Task.CompletedTask, () => Task.FromResult(files.All(f => !File.Exists(f.Path))));

            var contents = files.GroupBy(f => f.Sha256).ToDictionary(g => g.Key, g => g.First().Size);
            await AssertStoredExactlyOnceAsync(contents);
            foreach (var file in files)
            {
                // Deleted (every one is, by now), so its receipt must exist and match the bytes it had.
                var written = receipts.TryRead(DockRoot, file.Relative);
                Assert.True(written is not null, $"{file.Relative} was deleted without a receipt ({Schedule.Describe()})");
                Assert.Equal(file.Sha256, written.Receipt.Sha256);
                Assert.Equal(file.Size, written.Receipt.Size);
                Assert.Null(written.Receipt.QuarantineReason);
                Assert.Equal(1, await CountAsync("SELECT count(*) FROM recordings WHERE id = @RecordingId AND sha256 = @Sha256", new { written.Receipt.RecordingId, file.Sha256 }));
            }

            await AssertAuditChainVerifiesAsync();
        });
    }

    /// <summary>Recorder files of two bays, sizes from 0.5 to 10.5 MiB (multipart above 5 MiB), one content twice.</summary>
    private List<DockFile> PutRecorderFiles()
    {
        var files = new List<DockFile>();
        byte[]? first = null;
        for (var i = 0; i < 9; i++)
        {
            var bay = i % 2 == 0 ? "BAY-01" : "BAY-02";
            var serial = i % 2 == 0 ? "A1000001" : "A1000002";
            var content = i == 8 ? first! : Bytes.Random(512 * 1024 + Schedule.Random.Next(10 * 1024 * 1024), Schedule.Random.Next());
            first ??= content;
            var relative = Path.Combine(bay, "DCIM", $"{serial}_00012{i}_2026120108{i:D2}00.mp4");
            var path = Path.Combine(DockRoot, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, content);

            // Copied off the recorder a while ago: stable from the first scan.
            File.SetLastWriteTimeUtc(path, TimeProvider.System.GetUtcNow().UtcDateTime.AddMinutes(-5));
            files.Add(new DockFile(relative, path, Convert.ToHexStringLower(SHA256.HashData(content)), content.Length));
        }

        return files;
    }

    private sealed record DockFile(string Relative, string Path, string Sha256, long Size);
}

/// <summary>The dock kill test storing into Ceph RGW with Object Lock.</summary>
public sealed class S3DockKillTests(CatalogueFixture catalogue, S3BucketFixture bucket)
    : DockKillTests(catalogue), IClassFixture<CatalogueFixture>, IClassFixture<S3BucketFixture>
{
    protected override IReadOnlyDictionary<string, string> StoreEnvironment => KillStores.S3(bucket);

    protected override IEvidenceStore Store => bucket.Store;

    protected override Task<IReadOnlyList<ObjectRef>> ListOriginalsAsync() => KillStores.ListOriginalsAsync(bucket, Token);

    protected override Task<IReadOnlyList<string>> ListPartialWritesAsync() => KillStores.ListMultipartUploadsAsync(bucket, Token);
}

/// <summary>The dock kill test storing into the filesystem store.</summary>
public sealed class FileSystemDockKillTests(CatalogueFixture catalogue) : DockKillTests(catalogue), IClassFixture<CatalogueFixture>
{
    private string StoreRoot => Folder.Combine("evidence");

    protected override IReadOnlyDictionary<string, string> StoreEnvironment => new Dictionary<string, string>
    {
        ["Store__Kind"] = "FileSystem",
        ["Store__FileSystem__Root"] = StoreRoot,
    };

    protected override IEvidenceStore Store => new FileSystemEvidenceStore(
        Options.Create(new FileSystemStoreOptions { Root = StoreRoot }), TimeProvider.System, NullLogger<FileSystemEvidenceStore>.Instance);

    protected override async Task<IReadOnlyList<ObjectRef>> ListOriginalsAsync() => await Store.ListAsync(ObjectKind.Original, Token).ToListAsync(Token);

    protected override Task<IReadOnlyList<string>> ListPartialWritesAsync()
    {
        var staging = Path.Combine(StoreRoot, "staging");
        IReadOnlyList<string> left = Directory.Exists(staging) ? [.. Directory.EnumerateFiles(staging)] : [];
        return Task.FromResult(left);
    }
}
