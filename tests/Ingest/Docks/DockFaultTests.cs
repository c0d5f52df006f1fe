using System.Security.Cryptography;
using Dapper;
using Enforcement.Media.Ingest.Docks;
using Enforcement.Media.Storage.Catalogue;
using Enforcement.Media.Storage.Objects.FileSystem;
using Enforcement.Media.Storage.Objects.S3;
using Enforcement.Media.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Enforcement.Media.Tests.Ingest.Docks;

/// <summary>
/// The store or the catalogue going away while the watcher works, made real by cutting a TCP relay
/// in front of the test's Ceph RGW or PostgreSQL: the file stays, nothing is receipted or deleted,
/// the watcher keeps going and delivers the file once the service is back — exactly once.
/// </summary>
public sealed class DockFaultTests(CatalogueFixture catalogue, S3BucketFixture bucket) : IClassFixture<CatalogueFixture>, IClassFixture<S3BucketFixture>, IDisposable
{
    private readonly TempFolder _store = new();
    private readonly List<IDisposable> _disposables = [];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        foreach (var disposable in _disposables)
        {
            disposable.Dispose();
        }

        _store.Dispose();
    }

    private T Keep<T>(T disposable)
        where T : IDisposable
    {
        _disposables.Add(disposable);
        return disposable;
    }

    /// <summary>The test bucket, reached through <paramref name="relay"/>.</summary>
    private S3EvidenceStore S3Through(TcpRelay relay)
    {
        return Keep(S3BucketFixture.NewStore(S3BucketFixture.Through(relay, bucket.Options.Bucket)));
    }

    /// <summary>The test catalogue, reached through <paramref name="relay"/>.</summary>
    private NpgsqlDataSource CatalogueThrough(TcpRelay relay)
    {
        var settings = new NpgsqlConnectionStringBuilder(TestServices.PostgresConnection) { Host = "127.0.0.1", Port = relay.Port, Timeout = 5 };
        var dataSource = CatalogueDataSource.Create(settings.ConnectionString, catalogue.Options, NullLoggerFactory.Instance);
        _disposables.Add(dataSource);
        return dataSource;
    }

    private FileSystemEvidenceStore FileSystemStore() => new(
        Options.Create(new FileSystemStoreOptions { Root = _store.Path }), TimeProvider.System, NullLogger<FileSystemEvidenceStore>.Instance);

    private async Task<long> CountAsync(string sql, object parameters)
    {
        await using var connection = await catalogue.DataSource.OpenConnectionAsync(Token);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, parameters, cancellationToken: Token));
    }

    private static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    private static void AssertFailedAndUntouched(DockHarness dock, DockFileOutcome outcome, string path, byte[] content)
    {
        Assert.Equal(DockFileResult.Failed, outcome.Result);
        Assert.False(string.IsNullOrWhiteSpace(outcome.Failure));
        Assert.Equal(content, File.ReadAllBytes(path));
        Assert.Null(dock.ReceiptOf(outcome.File.RelativePath));
        Assert.Contains(dock.Logs.Events, e => e.Level == LogLevel.Error && e.Exception is not null && Equals(e.Properties.GetValueOrDefault("SourcePath"), path));
    }

    [Fact]
    public async Task With_the_object_store_unreachable_for_a_while_a_file_is_kept_and_retried_and_then_delivered_and_released_once()
    {
        await using var relay = new TcpRelay(new Uri(TestServices.S3Endpoint));
        using var dock = new DockHarness(catalogue.DataSource, S3Through(relay), SourceDeletion.AfterVerified);
        var content = Bytes.Random(6 * 1024 * 1024, Random.Shared.Next());
        var path = dock.Put("bay01/A123456_012345_20261122080000.mp4", content);
        relay.Block();

        var first = Assert.Single(await dock.SettleAsync(Token));
        AssertFailedAndUntouched(dock, first, path, content);
        var second = Assert.Single(await dock.RetryAsync(Token));
        AssertFailedAndUntouched(dock, second, path, content);
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM recordings WHERE sha256 = @sha256", new { sha256 = Sha256(content) }));

        relay.Unblock();
        var delivered = Assert.Single(await dock.RetryAsync(Token));

        Assert.Equal(DockFileResult.Delivered, delivered.Result);
        Assert.True(delivered.Release!.Deleted, delivered.Release.Reason);
        Assert.False(File.Exists(path));
        Assert.Equal(content, await Bytes.ReadAllAsync(await bucket.Store.OpenReadAsync(delivered.Archived!.Location, null, Token), Token));
        Assert.Equal(1L, await CountAsync("SELECT count(*) FROM recording_sources s JOIN recordings r ON r.id = s.recording_id WHERE r.sha256 = @sha256", new { sha256 = Sha256(content) }));
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM pending_writes WHERE delivery->>'originalPath' = @path", new { path }));
    }

    [Fact]
    public async Task With_the_object_store_unreachable_when_a_receipted_source_is_to_be_verified_the_source_is_kept_until_it_can_be()
    {
        await using var relay = new TcpRelay(new Uri(TestServices.S3Endpoint));
        var content = Bytes.Random(100_000, Random.Shared.Next());
        using var delivering = new DockHarness(catalogue.DataSource, bucket.Store, SourceDeletion.Never);
        var path = delivering.Put("bay02/A123456_012345_20261122080000.mp4", content);
        Assert.Equal(DockFileResult.Delivered, Assert.Single(await delivering.SettleAsync(Token)).Result);

        // The same dock after a restart with AfterVerified: it finds the receipted file and must verify before deleting.
        using var releasing = new DockHarness(catalogue.DataSource, S3Through(relay), SourceDeletion.AfterVerified, delivering.Root);
        relay.Block();
        var blocked = Assert.Single(await releasing.SettleAsync(Token));

        Assert.Equal(DockFileResult.AlreadyDelivered, blocked.Result);
        Assert.StartsWith("release: ", blocked.Failure, StringComparison.Ordinal);
        Assert.Equal(content, await File.ReadAllBytesAsync(path, Token));
        Assert.Contains(releasing.Logs.Events, e => e.Level == LogLevel.Warning && e.Exception is not null && Equals(e.Properties.GetValueOrDefault("SourcePath"), path));

        relay.Unblock();
        var released = Assert.Single(await releasing.RetryAsync(Token));

        Assert.True(released.Release!.Deleted, released.Release.Reason);
        Assert.False(File.Exists(path));
        Assert.Equal(1L, await CountAsync("SELECT count(*) FROM recording_sources s JOIN recordings r ON r.id = s.recording_id WHERE r.sha256 = @sha256", new { sha256 = Sha256(content) }));
    }

    [Fact]
    public async Task With_the_catalogue_unreachable_during_a_scan_a_file_is_kept_and_retried_and_then_delivered_once()
    {
        await using var relay = new TcpRelay("127.0.0.1", new NpgsqlConnectionStringBuilder(TestServices.PostgresConnection).Port);
        var store = FileSystemStore();
        await store.EnsureReadyAsync(Token);
        using var dock = new DockHarness(CatalogueThrough(relay), store, SourceDeletion.AfterVerified);
        var content = Bytes.Random(500_000, Random.Shared.Next());
        var path = dock.Put("bay03/A123456_012345_20261122080000.mp4", content);
        relay.Block();

        AssertFailedAndUntouched(dock, Assert.Single(await dock.SettleAsync(Token)), path, content);
        AssertFailedAndUntouched(dock, Assert.Single(await dock.RetryAsync(Token)), path, content);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_store.Path, "staging")));

        relay.Unblock();
        var delivered = Assert.Single(await dock.RetryAsync(Token));

        Assert.Equal(DockFileResult.Delivered, delivered.Result);
        Assert.True(delivered.Release!.Deleted, delivered.Release.Reason);
        Assert.Equal(1L, await CountAsync("SELECT count(*) FROM recording_sources s JOIN recordings r ON r.id = s.recording_id WHERE r.sha256 = @sha256", new { sha256 = Sha256(content) }));
        Assert.Equal(content, await Bytes.ReadAllAsync(await store.OpenReadAsync(delivered.Archived!.Location, null, Token), Token));
    }

    [Fact]
    public async Task With_the_catalogue_unreachable_when_a_receipted_source_is_to_be_released_the_source_is_kept_until_it_can_be_checked()
    {
        await using var relay = new TcpRelay("127.0.0.1", new NpgsqlConnectionStringBuilder(TestServices.PostgresConnection).Port);
        var store = FileSystemStore();
        var content = Bytes.Random(100_000, Random.Shared.Next());
        using var delivering = new DockHarness(catalogue.DataSource, store, SourceDeletion.Never);
        var path = delivering.Put("bay04/A123456_012345_20261122080000.mp4", content);
        Assert.Equal(DockFileResult.Delivered, Assert.Single(await delivering.SettleAsync(Token)).Result);

        using var releasing = new DockHarness(CatalogueThrough(relay), store, SourceDeletion.AfterVerified, delivering.Root);
        relay.Block();
        var blocked = Assert.Single(await releasing.SettleAsync(Token));

        Assert.StartsWith("release: ", blocked.Failure, StringComparison.Ordinal);
        Assert.True(File.Exists(path));

        relay.Unblock();
        Assert.True(Assert.Single(await releasing.RetryAsync(Token)).Release!.Deleted);
        Assert.False(File.Exists(path));
    }
}
