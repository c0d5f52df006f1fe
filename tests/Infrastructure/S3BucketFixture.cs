using Amazon.S3;
using Amazon.S3.Model;
using Enforcement.Media.Storage.Objects.S3;
using Microsoft.Extensions.Logging.Abstractions;

namespace Enforcement.Media.Tests.Infrastructure;

/// <summary>A fresh Object Lock bucket on the test Ceph RGW, and a raw client with the service's own credentials.</summary>
public sealed class S3BucketFixture : IAsyncLifetime
{
    public S3StoreOptions Options { get; } = For(UniqueName.For("t-"));

    public IAmazonS3 Raw { get; private set; } = null!;

    public S3EvidenceStore Store { get; private set; } = null!;

    public static S3StoreOptions For(string bucket, int partSizeBytes = 5 * 1024 * 1024) => new()
    {
        ServiceUrl = TestServices.S3Endpoint,
        AccessKey = TestServices.S3AccessKey,
        SecretKey = TestServices.S3SecretKey,
        Bucket = bucket,
        PartSizeBytes = partSizeBytes,
    };

    /// <summary>
    /// Options for <paramref name="bucket"/> reached through <paramref name="relay"/>, which passes bytes
    /// on, drops connections or stalls like a hung server; <paramref name="requestTimeout"/> keeps a stall short.
    /// </summary>
    public static S3StoreOptions Through(TcpRelay relay, string bucket, TimeSpan? requestTimeout = null)
    {
        var options = For(bucket);
        options.ServiceUrl = $"http://127.0.0.1:{relay.Port}";
        options.RequestTimeout = requestTimeout ?? options.RequestTimeout;
        return options;
    }

    /// <summary>A store of its own (its own client) for <paramref name="options"/>; the caller disposes it.</summary>
    public static S3EvidenceStore NewStore(S3StoreOptions options) =>
        new(S3ClientFactory.Create(options), options, NullLogger<S3EvidenceStore>.Instance);

    public async ValueTask InitializeAsync()
    {
        Raw = S3ClientFactory.Create(Options);
        Store = NewStore(Options);
        await Store.EnsureReadyAsync(CancellationToken.None);
    }

    public ValueTask DisposeAsync()
    {
        // Locked versions cannot be removed (that is the point); the throwaway cluster goes with the test run.
        Store.Dispose();
        Raw.Dispose();
        return ValueTask.CompletedTask;
    }

    public async Task<byte[]> GetVersionAsync(string key, string versionId, CancellationToken cancellationToken)
    {
        using var response = await Raw.GetObjectAsync(new GetObjectRequest { BucketName = Options.Bucket, Key = key, VersionId = versionId }, cancellationToken);
        return await Bytes.ReadAllAsync(response.ResponseStream, cancellationToken);
    }
}
