using System.Security.Cryptography;
using Amazon.S3.Model;
using Dapper;
using Enforcement.Media.Ingest.Docks;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Objects.S3;
using Enforcement.Media.Storage.Stations;
using Enforcement.Media.Tests.Infrastructure;
using Enforcement.Media.Tests.Ingest.Uploads;

namespace Enforcement.Media.Tests.Ingest.Agent;

/// <summary>
/// The station agent against an ingest server whose evidence store is the real Ceph RGW with
/// Object Lock: what the agent read is what the bucket holds, locked, before a source goes.
/// </summary>
public sealed class StationAgentS3Tests : IAsyncLifetime
{
    private readonly CatalogueFixture _catalogue = new();
    private readonly TempFolder _folder = new();
    private readonly S3StoreOptions _bucket = S3BucketFixture.For(UniqueName.For("agent-"));
    private IngestServer _server = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await _catalogue.InitializeAsync();
        _server = await IngestServer.StartAsync(
            _catalogue,
            _folder.Combine("uploads"),
            _folder.Combine("unused-evidence"),
            "Store:Kind=S3",
            $"Store:S3:ServiceUrl={_bucket.ServiceUrl}",
            $"Store:S3:AccessKey={_bucket.AccessKey}",
            $"Store:S3:SecretKey={_bucket.SecretKey}",
            $"Store:S3:Bucket={_bucket.Bucket}",
            "Store:S3:PartSizeBytes=5242880");
    }

    [Fact]
    public async Task Docked_files_uploaded_by_the_agent_are_held_locked_in_Ceph_RGW_with_the_sha256_the_agent_read_before_their_sources_go()
    {
        var keys = new ApiKeyStore(_catalogue.DataSource, new AuditTrail(_catalogue.DataSource, TimeProvider.System), TimeProvider.System);
        var issued = await keys.CreateAsync(UniqueName.For("DOCK-"), ApiKeyKind.Station, "DOCK-S3", "user:test", Token);
        using var agent = new StationAgent(_server.BaseAddress, issued.Token, SourceDeletion.AfterVerified);
        var files = new Dictionary<string, byte[]>
        {
            ["bay01/A123456_654321_20261122080000.mp4"] = Bytes.Random(7_000_000, Random.Shared.Next()), // multipart in the store
            ["bay02/B777777_112233_20261122090000_IMP.mp4"] = Bytes.Random(300_000, Random.Shared.Next()),
        };
        foreach (var (relative, content) in files)
        {
            agent.Put(relative, content);
        }

        var outcomes = await agent.SettleAsync(Token);

        Assert.Equal(2, outcomes.Count(o => o.Result == DockFileResult.Delivered && o.Release!.Deleted));
        using var s3 = S3ClientFactory.Create(_bucket);
        foreach (var (relative, content) in files)
        {
            var receipt = agent.ReceiptOf(relative)!.Receipt;
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), receipt.Sha256);
            Assert.NotNull(receipt.VersionId);
            using var stored = await s3.GetObjectAsync(new GetObjectRequest { BucketName = _bucket.Bucket, Key = receipt.ObjectKey, VersionId = receipt.VersionId }, Token);
            Assert.Equal(content, await Bytes.ReadAllAsync(stored.ResponseStream, Token));
            var retention = await s3.GetObjectRetentionAsync(new GetObjectRetentionRequest { BucketName = _bucket.Bucket, Key = receipt.ObjectKey, VersionId = receipt.VersionId }, Token);
            Assert.Equal("COMPLIANCE", retention.Retention.Mode.Value);
            Assert.False(File.Exists(Path.Combine(agent.Root, relative)));
        }

        await using var connection = await _catalogue.DataSource.OpenConnectionAsync(Token);
        Assert.Equal(2L, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM recording_sources WHERE api_key_id = @id", new { id = issued.Key.Id }));
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        await _catalogue.DisposeAsync();
        _folder.Dispose();
    }
}
