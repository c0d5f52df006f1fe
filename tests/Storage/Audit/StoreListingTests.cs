using Amazon.S3.Model;
using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Storage.Objects.FileSystem;
using Enforcement.Media.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Tests.Storage.Audit;

/// <summary><see cref="IEvidenceStore.ListAsync"/>, which the verifier relies on to find every checkpoint.</summary>
public sealed class StoreListingTests(S3BucketFixture bucket) : IClassFixture<S3BucketFixture>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static async Task<SealedObject> StoreAsync(IEvidenceStore store, ObjectKind kind, byte[] content)
    {
        var pending = await store.WriteAsync(ObjectWrite.New(kind), new MemoryStream(content), null, Token);
        return await store.SealAsync(pending, new ObjectLock(TimeProvider.System.GetUtcNow().AddDays(1)), Token);
    }

    private static async Task<List<ObjectRef>> ListAsync(IEvidenceStore store, ObjectKind kind)
    {
        var listed = new List<ObjectRef>();
        await foreach (var location in store.ListAsync(kind, Token))
        {
            listed.Add(location);
        }

        return listed;
    }

    [Fact]
    public async Task The_filesystem_store_lists_the_objects_of_one_kind_and_never_staging()
    {
        using var folder = new TempFolder();
        var store = new FileSystemEvidenceStore(Options.Create(new FileSystemStoreOptions { Root = folder.Path }), TimeProvider.System, NullLogger<FileSystemEvidenceStore>.Instance);
        await store.EnsureReadyAsync(Token);
        var a = await StoreAsync(store, ObjectKind.Checkpoint, Bytes.Random(10, 1));
        var b = await StoreAsync(store, ObjectKind.Checkpoint, Bytes.Random(10, 2));
        await StoreAsync(store, ObjectKind.Original, Bytes.Random(10, 3));
        await store.WriteAsync(ObjectWrite.New(ObjectKind.Checkpoint), new MemoryStream(Bytes.Random(10, 4)), null, Token);

        var listed = await ListAsync(store, ObjectKind.Checkpoint);

        Assert.Equal(new[] { a.Location, b.Location }.OrderBy(l => l.Key, StringComparer.Ordinal), listed);
        Assert.Empty(await ListAsync(store, ObjectKind.Rendition));
    }

    [Fact]
    public async Task The_s3_store_lists_every_version_of_a_kind_including_a_later_put_to_the_same_key()
    {
        var sealedObject = await StoreAsync(bucket.Store, ObjectKind.Export, Bytes.Random(10, 5));
        var original = await StoreAsync(bucket.Store, ObjectKind.Original, Bytes.Random(10, 6));
        var put = await bucket.Raw.PutObjectAsync(new PutObjectRequest { BucketName = bucket.Options.Bucket, Key = sealedObject.Location.Key, InputStream = new MemoryStream([1, 2, 3]) }, Token);

        var listed = await ListAsync(bucket.Store, ObjectKind.Export);

        Assert.Equal(2, listed.Count);
        Assert.Contains(sealedObject.Location, listed);
        Assert.Contains(new ObjectRef(sealedObject.Location.Key, put.VersionId), listed);
        Assert.DoesNotContain(original.Location, listed);
    }
}
