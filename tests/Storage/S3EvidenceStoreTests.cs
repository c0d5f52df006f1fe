using System.Net;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using Enforcement.Media.Storage;
using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Storage.Objects.S3;
using Enforcement.Media.Storage.Startup;
using Enforcement.Media.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ByteRange = Enforcement.Media.Storage.Objects.ByteRange;

namespace Enforcement.Media.Tests.Storage;

/// <summary>Against a real S3 server that enforces Object Lock (Ceph RGW, started by scripts/test.sh).</summary>
public sealed class S3EvidenceStoreTests(S3BucketFixture bucket) : IClassFixture<S3BucketFixture>
{
    private static readonly TimeSpan HalfYear = TimeSpan.FromDays(180);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>The real clock: the S3 server enforces retention by its own.</summary>
    private static DateTimeOffset Now => TimeProvider.System.GetUtcNow();

    private S3EvidenceStore Store => bucket.Store;

    private async Task<SealedObject> StoreAsync(byte[] content, DateTimeOffset retainUntil, bool legalHold = false)
    {
        var pending = await Store.WriteAsync(ObjectWrite.New(ObjectKind.Original, "video/mp4"), new MemoryStream(content), null, Token);
        return await Store.SealAsync(pending, new ObjectLock(retainUntil, legalHold), Token);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1000)]
    [InlineData(5 * 1024 * 1024)]
    [InlineData(12 * 1024 * 1024 + 3)]
    public async Task Stored_bytes_read_back_exactly_with_their_sha256_single_or_multipart(int length)
    {
        var content = Bytes.Random(length, seed: length);

        var stored = await StoreAsync(content, Now + HalfYear);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), stored.Sha256.Hex);
        Assert.Equal(length, stored.Size);
        Assert.NotNull(stored.Location.VersionId);
        Assert.Equal(content, await Bytes.ReadAllAsync(await Store.OpenReadAsync(stored.Location, null, Token), Token));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(2, 5)]
    [InlineData(5_242_879, 5_242_880)]
    [InlineData(7_000_000, 12_582_914)]
    public async Task A_ranged_read_returns_exactly_the_bytes_asked_for(long first, long last)
    {
        var content = Bytes.Random(12 * 1024 * 1024 + 3, seed: 99);
        var stored = await StoreAsync(content, Now + TimeSpan.FromDays(1));

        var read = await Bytes.ReadAllAsync(await Store.OpenReadAsync(stored.Location, new ByteRange(first, last), Token), Token);

        Assert.Equal(content[(int)first..(int)(last + 1)], read);
    }

    [Fact]
    public async Task A_sealed_object_carries_compliance_retention_read_back_from_the_server()
    {
        var until = Now + HalfYear;

        var stored = await StoreAsync(Bytes.Random(100, seed: 1), until);

        var retention = await Store.GetRetentionAsync(stored.Location, Token);
        Assert.Equal("COMPLIANCE", retention.Mode);
        Assert.True(retention.RetainUntil >= until.AddSeconds(-1), $"retained until {retention.RetainUntil:O}, asked {until:O}");
        Assert.Equal(retention, stored.Retention);
    }

    [Fact]
    public async Task A_locked_original_cannot_be_deleted_with_the_services_own_credentials()
    {
        var stored = await StoreAsync(Bytes.Random(100, seed: 2), Now + HalfYear);

        await Assert.ThrowsAsync<ObjectLockedException>(() => Store.DeleteAsync(stored.Location, Token));
        var raw = await Assert.ThrowsAsync<AmazonS3Exception>(() => bucket.Raw.DeleteObjectAsync(
            new DeleteObjectRequest { BucketName = bucket.Options.Bucket, Key = stored.Location.Key, VersionId = stored.Location.VersionId, BypassGovernanceRetention = true }, Token));

        Assert.Equal(HttpStatusCode.Forbidden, raw.StatusCode);
        Assert.NotNull(await Store.HeadAsync(stored.Location, Token));
    }

    [Fact]
    public async Task A_locked_original_cannot_be_overwritten_a_new_put_is_only_a_new_version()
    {
        var original = Bytes.Random(100, seed: 3);
        var stored = await StoreAsync(original, Now + HalfYear);

        var overwrite = await bucket.Raw.PutObjectAsync(new PutObjectRequest { BucketName = bucket.Options.Bucket, Key = stored.Location.Key, ContentBody = "tampered" }, Token);

        Assert.NotEqual(stored.Location.VersionId, overwrite.VersionId);
        Assert.Equal(original, await bucket.GetVersionAsync(stored.Location.Key, stored.Location.VersionId!, Token));
        Assert.Equal(original, await Bytes.ReadAllAsync(await Store.OpenReadAsync(stored.Location, null, Token), Token));
    }

    [Fact]
    public async Task Retention_cannot_be_shortened_but_can_be_extended()
    {
        var until = Now + HalfYear;
        var stored = await StoreAsync(Bytes.Random(100, seed: 4), until);

        var raw = await Assert.ThrowsAsync<AmazonS3Exception>(() => bucket.Raw.PutObjectRetentionAsync(
            new PutObjectRetentionRequest
            {
                BucketName = bucket.Options.Bucket,
                Key = stored.Location.Key,
                VersionId = stored.Location.VersionId,
                Retention = new ObjectLockRetention { Mode = ObjectLockRetentionMode.Compliance, RetainUntilDate = Now.UtcDateTime.AddDays(1) },
                BypassGovernanceRetention = true,
            },
            Token));
        var afterShortening = await Store.ExtendRetentionAsync(stored.Location, Now.AddDays(1), Token);
        var extended = await Store.ExtendRetentionAsync(stored.Location, until.AddYears(30), Token);

        Assert.Equal(HttpStatusCode.Forbidden, raw.StatusCode);
        Assert.Equal(stored.Retention.RetainUntil, afterShortening.RetainUntil);
        Assert.True(extended.RetainUntil >= until.AddYears(30).AddSeconds(-1));
        Assert.Equal(extended, await Store.GetRetentionAsync(stored.Location, Token));
    }

    [Fact]
    public async Task A_legal_hold_blocks_deletion_after_the_retention_has_ended()
    {
        var stored = await StoreAsync(Bytes.Random(100, seed: 5), Now.AddSeconds(2), legalHold: true);
        Assert.True(stored.Retention.LegalHold);
        await WaitUntilAsync(stored.Retention.RetainUntil!.Value.AddSeconds(1));

        await Assert.ThrowsAsync<ObjectLockedException>(() => Store.DeleteAsync(stored.Location, Token));

        await Store.SetLegalHoldAsync(stored.Location, false, Token);
        await Store.DeleteAsync(stored.Location, Token);
        Assert.Null(await Store.HeadAsync(stored.Location, Token));
    }

    [Fact]
    public async Task Discarding_a_pending_object_removes_it()
    {
        var pending = await Store.WriteAsync(ObjectWrite.New(ObjectKind.Original), new MemoryStream(Bytes.Random(10, seed: 6)), null, Token);

        await Store.DiscardAsync(pending, Token);

        Assert.Null(await Store.HeadAsync(pending.Location, Token));
    }

    [Fact]
    public async Task A_write_that_fails_midway_leaves_no_object_and_no_unfinished_upload()
    {
        var write = ObjectWrite.New(ObjectKind.Original);

        await Assert.ThrowsAsync<IOException>(() => Store.WriteAsync(write, new FailingStream(11 * 1024 * 1024), null, Token));

        var uploads = await bucket.Raw.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = bucket.Options.Bucket, Prefix = $"original/" }, Token);
        Assert.DoesNotContain(uploads.MultipartUploads ?? [], u => u.Key.EndsWith($"{write.WriteId:N}", StringComparison.Ordinal));
        var versions = await bucket.Raw.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket.Options.Bucket, Prefix = "original/" }, Token);
        Assert.DoesNotContain(versions.Versions ?? [], v => v.Key.EndsWith($"{write.WriteId:N}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_part_the_server_refuses_is_reported_with_the_servers_error_not_as_a_cancellation()
    {
        var write = ObjectWrite.New(ObjectKind.Original);
        var content = new UploadAbortingStream(bucket, write, partSize: bucket.Options.PartSizeBytes);

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => Store.WriteAsync(write, content, null, Token));

        // The reading loop was cancelled by the failed part; the error that reaches the caller (and the
        // ingest summary) is the part's own, not "A task was canceled".
        var refused = Assert.IsType<AmazonS3Exception>(failure);
        Assert.Equal("NoSuchUpload", refused.ErrorCode);
    }

    [Theory]
    [InlineData(1000)] // one PUT (Content-MD5 and the signed SHA-256)
    [InlineData(20 * 1024 * 1024)] // multipart: a part carries only its signed SHA-256
    public async Task Bytes_altered_on_the_way_to_the_server_are_refused_and_nothing_is_kept(int length)
    {
        var options = S3BucketFixture.For(bucket.Options.Bucket);
        var tampering = new TamperingHttpClientFactory();
        using var store = new S3EvidenceStore(S3ClientFactory.Create(options, tampering), options, NullLogger<S3EvidenceStore>.Instance);
        var write = ObjectWrite.New(ObjectKind.Original);

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => store.WriteAsync(write, new MemoryStream(Bytes.Random(length, seed: 11)), null, Token));

        Assert.Equal(1, tampering.Altered);
        var refused = Assert.IsType<AmazonS3Exception>(failure);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains(refused.ErrorCode, (string[])["XAmzContentSHA256Mismatch", "BadDigest"]);
        var uploads = await bucket.Raw.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = bucket.Options.Bucket, Prefix = "original/" }, Token);
        Assert.DoesNotContain(uploads.MultipartUploads ?? [], u => u.Key.EndsWith($"{write.WriteId:N}", StringComparison.Ordinal));
        var versions = await bucket.Raw.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket.Options.Bucket, Prefix = "original/" }, Token);
        Assert.DoesNotContain(versions.Versions ?? [], v => v.Key.EndsWith($"{write.WriteId:N}", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1000)] // one PUT
    [InlineData(20 * 1024 * 1024)] // multipart
    public async Task A_server_that_stops_answering_fails_the_write_within_the_request_timeout_naming_it_and_nothing_is_kept(int length)
    {
        await using var relay = new TcpRelay(new Uri(TestServices.S3Endpoint));
        using var store = S3BucketFixture.NewStore(S3BucketFixture.Through(relay, bucket.Options.Bucket, TimeSpan.FromSeconds(1)));
        var write = ObjectWrite.New(ObjectKind.Original);
        relay.Stall();

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var failure = await Assert.ThrowsAsync<EvidenceStoreTimeoutException>(() => store.WriteAsync(write, new MemoryStream(Bytes.Random(length, seed: 12)), null, Token));

        // Four tries (the first and three retries) of one second each, with back-off between them, and
        // one try to abort the upload: not the minutes a hung server used to hold a write.
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        Assert.Contains("Store:S3:RequestTimeout", failure.Message, StringComparison.Ordinal);
        relay.Resume();
        await store.AbandonAsync(write, Token);
        var uploads = await bucket.Raw.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = bucket.Options.Bucket, Prefix = "original/" }, Token);
        Assert.DoesNotContain(uploads.MultipartUploads ?? [], u => u.Key.EndsWith($"{write.WriteId:N}", StringComparison.Ordinal));
        var versions = await bucket.Raw.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket.Options.Bucket, Prefix = "original/" }, Token);
        Assert.DoesNotContain(versions.Versions ?? [], v => v.Key.EndsWith($"{write.WriteId:N}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_server_that_stops_answering_before_the_lock_fails_the_seal_as_a_store_timeout_naming_it()
    {
        await using var relay = new TcpRelay(new Uri(TestServices.S3Endpoint));
        using var store = S3BucketFixture.NewStore(S3BucketFixture.Through(relay, bucket.Options.Bucket, TimeSpan.FromSeconds(1)));
        var pending = await store.WriteAsync(ObjectWrite.New(ObjectKind.Original), new MemoryStream(Bytes.Random(1000, seed: 13)), null, Token);
        relay.Stall();

        // Not the SDK's "A task was canceled": the type callers stop on (ingest files starts no more
        // files), the setting, and what became of the object.
        var failure = await Assert.ThrowsAsync<EvidenceStoreTimeoutException>(() => store.SealAsync(pending, new ObjectLock(Now + HalfYear), Token));

        Assert.Contains("Store:S3:RequestTimeout", failure.Message, StringComparison.Ordinal);
        Assert.Contains($"lock {pending.Location}", failure.Message, StringComparison.Ordinal);
        relay.Resume();
        var retention = await store.GetRetentionAsync(pending.Location, Token);
        Assert.Null(retention.RetainUntil);
    }

    [Fact]
    public async Task A_server_that_stops_answering_at_start_up_stops_it_naming_the_request_timeout()
    {
        await using var relay = new TcpRelay(new Uri(TestServices.S3Endpoint));
        using var store = S3BucketFixture.NewStore(S3BucketFixture.Through(relay, UniqueName.For("hung-"), TimeSpan.FromSeconds(1)));
        relay.Stall();

        var error = await Assert.ThrowsAsync<StartupCheckException>(() => store.EnsureReadyAsync(Token));

        // Not "cannot reach: Operation canceled": the server took the connection and said nothing.
        Assert.Equal("Store:S3:RequestTimeout", error.Setting);
        Assert.Contains("did not answer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Abandoning_a_write_removes_its_unfinished_upload_and_unlocked_object_but_never_a_locked_one()
    {
        var unfinished = ObjectWrite.New(ObjectKind.Original);
        var unfinishedKey = $"original/{Now:yyyy/MM/dd}/{unfinished.WriteId:N}";
        var started = await bucket.Raw.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket.Options.Bucket, Key = unfinishedKey }, Token);
        var unlocked = await Store.WriteAsync(ObjectWrite.New(ObjectKind.Original), new MemoryStream([1, 2, 3]), null, Token);
        var locked = await StoreAsync(Bytes.Random(10, seed: 7), Now + HalfYear);

        await Store.AbandonAsync(unfinished, Token);
        await Store.AbandonAsync(unlocked.Write, Token);
        await Store.AbandonAsync(ObjectWrite.New(ObjectKind.Original) with { WriteId = Guid.Parse(locked.Location.Key.Split('/')[^1]) }, Token);

        var uploads = await bucket.Raw.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = bucket.Options.Bucket, Prefix = unfinishedKey }, Token);
        Assert.DoesNotContain(uploads.MultipartUploads ?? [], u => u.UploadId == started.UploadId);
        Assert.Null(await Store.HeadAsync(unlocked.Location, Token));
        Assert.NotNull(await Store.HeadAsync(locked.Location, Token));
    }

    [Fact]
    public async Task A_missing_bucket_is_created_with_object_lock()
    {
        var options = S3BucketFixture.For(UniqueName.For("new-"));
        using var store = S3BucketFixture.NewStore(options);

        await store.EnsureReadyAsync(Token);

        var configuration = await bucket.Raw.GetObjectLockConfigurationAsync(new GetObjectLockConfigurationRequest { BucketName = options.Bucket }, Token);
        Assert.Equal(ObjectLockEnabled.Enabled, configuration.ObjectLockConfiguration.ObjectLockEnabled);
    }

    [Fact]
    public async Task A_bucket_without_object_lock_is_refused_at_start_up()
    {
        var options = S3BucketFixture.For(UniqueName.For("nolock-"));
        await bucket.Raw.PutBucketAsync(new PutBucketRequest { BucketName = options.Bucket }, Token);
        using var store = S3BucketFixture.NewStore(options);

        var error = await Assert.ThrowsAsync<StartupCheckException>(() => store.EnsureReadyAsync(Token));

        Assert.Equal("Store:S3:Bucket", error.Setting);
        Assert.Contains("does not have Object Lock enabled", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_bucket_is_refused_when_creating_buckets_is_turned_off()
    {
        var options = S3BucketFixture.For(UniqueName.For("absent-"));
        options.CreateBucket = false;
        using var store = S3BucketFixture.NewStore(options);

        var error = await Assert.ThrowsAsync<StartupCheckException>(() => store.EnsureReadyAsync(Token));

        Assert.Equal("Store:S3:Bucket", error.Setting);
    }

    [Theory]
    [InlineData("AccessKey", "Store:S3:AccessKey")]
    [InlineData("SecretKey", "Store:S3:SecretKey")]
    [InlineData("ServiceUrl", "Store:S3:ServiceUrl")]
    [InlineData("Bucket", "Store:S3:Bucket")]
    public async Task Wrong_settings_stop_start_up_naming_the_setting(string wrong, string setting)
    {
        var options = S3BucketFixture.For(bucket.Options.Bucket);
        switch (wrong)
        {
            case "AccessKey": options.AccessKey = "NOSUCHKEY0000000000"; break;
            case "SecretKey": options.SecretKey = "wrong-secret"; break;
            case "Bucket": options.Bucket = "evidence_store"; break; // RGW answers a bare 400 to this name
            default: options.ServiceUrl = "http://127.0.0.1:1"; break;
        }

        using var store = S3BucketFixture.NewStore(options);

        var error = await Assert.ThrowsAsync<StartupCheckException>(() => store.EnsureReadyAsync(Token));

        Assert.Equal(setting, error.Setting);
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("-00:00:05")]
    public void A_request_timeout_that_is_not_positive_is_refused_naming_the_setting(string timeout)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Store:S3:RequestTimeout"] = timeout }).Build();
        using var provider = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration).AddEvidenceStorage(configuration).BuildServiceProvider();

        var invalid = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<S3StoreOptions>>().Value);

        Assert.Contains("Store:S3:RequestTimeout", invalid.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1000, true)] // one PUT, answered 500 with an S3 error document
    [InlineData(1000, false)] // one PUT, answered 500 with no body
    [InlineData(20 * 1024 * 1024, true)] // multipart
    public async Task A_server_that_fails_a_write_raises_its_error_naming_the_status_and_nothing_is_kept(int length, bool withErrorDocument)
    {
        await using var relay = new TcpRelay(new Uri(TestServices.S3Endpoint));
        using var store = S3BucketFixture.NewStore(S3BucketFixture.Through(relay, bucket.Options.Bucket, TimeSpan.FromSeconds(10)));
        var write = ObjectWrite.New(ObjectKind.Original);
        relay.Fail(500, withErrorDocument ? InternalError : "");

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => store.WriteAsync(write, new MemoryStream(Bytes.Random(length, seed: 14)), null, Token));

        // Raised, never swallowed, and saying what the server said: a caller (and the ingest summary)
        // can tell a failing server from a defect.
        Assert.True(failure is AmazonS3Exception { StatusCode: HttpStatusCode.InternalServerError }, $"{failure.GetType()}: {failure.Message}");
        relay.Fail(null);
        await AssertNothingKeptAsync(write);
    }

    [Fact]
    public async Task A_server_that_drops_every_connection_fails_the_write_with_the_network_error_and_nothing_is_kept()
    {
        await using var relay = new TcpRelay(new Uri(TestServices.S3Endpoint));
        using var store = S3BucketFixture.NewStore(S3BucketFixture.Through(relay, bucket.Options.Bucket, TimeSpan.FromSeconds(10)));
        var write = ObjectWrite.New(ObjectKind.Original);
        relay.Block();

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => store.WriteAsync(write, new MemoryStream(Bytes.Random(20 * 1024 * 1024, seed: 15)), null, Token));

        Assert.True(Chain(failure).Any(e => e is HttpRequestException or System.Net.Sockets.SocketException or IOException), $"{failure.GetType()}: {failure.Message}");
        relay.Unblock();
        await AssertNothingKeptAsync(write);
    }

    [Fact]
    public async Task Every_version_is_listed_past_the_servers_first_page_of_a_thousand()
    {
        // 1001 versions of one key: S3 lists at most 1000 per page (ListObjectVersions max-keys).
        var key = $"{ObjectKind.Rendition.ToName()}/2026/01/01/{Guid.CreateVersion7():N}";
        var versions = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForAsync(0, 1001, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Token }, async (i, ct) =>
        {
            var put = await bucket.Raw.PutObjectAsync(new PutObjectRequest { BucketName = bucket.Options.Bucket, Key = key, ContentBody = i.ToString(System.Globalization.CultureInfo.InvariantCulture) }, ct);
            versions.Add(put.VersionId);
        });

        var listed = new List<ObjectRef>();
        await foreach (var location in Store.ListAsync(ObjectKind.Rendition, Token))
        {
            listed.Add(location);
        }

        Assert.Equal(1001, listed.Count);
        Assert.Equal(versions.Order(StringComparer.Ordinal), listed.Select(l => l.VersionId!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_delete_marker_does_not_hide_a_locked_version_from_the_listing()
    {
        var pending = await Store.WriteAsync(ObjectWrite.New(ObjectKind.Sprite), new MemoryStream(Bytes.Random(10, seed: 17)), null, Token);
        var locked = await Store.SealAsync(pending, new ObjectLock(Now + HalfYear), Token);

        // Without a version id, a delete only adds a marker (allowed under Object Lock) that hides the key from a plain listing.
        await bucket.Raw.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket.Options.Bucket, Key = locked.Location.Key }, Token);

        var listed = new List<ObjectRef>();
        await foreach (var location in Store.ListAsync(ObjectKind.Sprite, Token))
        {
            listed.Add(location);
        }

        Assert.Equal([locked.Location], listed);
    }

    private const string InternalError = """<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message></Error>""";

    private static IEnumerable<Exception> Chain(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            yield return ex;
        }
    }

    private async Task AssertNothingKeptAsync(ObjectWrite write)
    {
        var uploads = await bucket.Raw.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = bucket.Options.Bucket, Prefix = "original/" }, Token);
        Assert.DoesNotContain(uploads.MultipartUploads ?? [], u => u.Key.EndsWith($"{write.WriteId:N}", StringComparison.Ordinal));
        var versions = await bucket.Raw.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket.Options.Bucket, Prefix = "original/" }, Token);
        Assert.DoesNotContain(versions.Versions ?? [], v => v.Key.EndsWith($"{write.WriteId:N}", StringComparison.Ordinal));
    }

    private static async Task WaitUntilAsync(DateTimeOffset moment)
    {
        var wait = moment - Now;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, Token);
        }
    }

    /// <summary>
    /// Footage whose multipart upload someone aborts once its second part is read (so that part is
    /// refused with NoSuchUpload), and whose third part never arrives until the write gives up.
    /// </summary>
    private sealed class UploadAbortingStream(S3BucketFixture bucket, ObjectWrite write, int partSize) : MemoryStream(new byte[3 * partSize])
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Position >= 2 * partSize)
            {
                await Task.Delay(TimeSpan.FromMinutes(1), cancellationToken);
                throw new IOException("the write was not given up a minute after its upload was aborted");
            }

            if (Position == partSize)
            {
                var uploads = await bucket.Raw.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = bucket.Options.Bucket }, cancellationToken);
                foreach (var upload in (uploads.MultipartUploads ?? []).Where(u => u.Key.EndsWith($"{write.WriteId:N}", StringComparison.Ordinal)))
                {
                    await bucket.Raw.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = bucket.Options.Bucket, Key = upload.Key, UploadId = upload.UploadId }, cancellationToken);
                }
            }

            return await base.ReadAsync(buffer[..(int)Math.Min(buffer.Length, (Position / partSize + 1) * partSize - Position)], cancellationToken);
        }
    }

    /// <summary>
    /// Between the SDK and the server, flips one byte in the body of the first PUT that has one (the
    /// object, or its first part) and leaves everything else as sent: what a faulty network card or a
    /// proxy that alters content would do after the request was signed.
    /// </summary>
    private sealed class TamperingHttpClientFactory : Amazon.Runtime.HttpClientFactory
    {
        private int _altered;

        public int Altered => _altered;

        public override HttpClient CreateHttpClient(Amazon.Runtime.IClientConfig clientConfig) => new(new Tampering(this, new SocketsHttpHandler()));

        public override bool UseSDKHttpClientCaching(Amazon.Runtime.IClientConfig clientConfig) => false;

        public override bool DisposeHttpClientsAfterUse(Amazon.Runtime.IClientConfig clientConfig) => true;

        private sealed class Tampering(TamperingHttpClientFactory owner, HttpMessageHandler inner) : DelegatingHandler(inner)
        {
            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                if (request.Method == HttpMethod.Put && request.Content is { } content && Volatile.Read(ref owner._altered) == 0)
                {
                    // Read, the SDK's body is spent: what goes on is always a copy, altered at most once.
                    var body = await content.ReadAsByteArrayAsync(cancellationToken);
                    if (body.Length > 0 && Interlocked.Exchange(ref owner._altered, 1) == 0)
                    {
                        body[body.Length / 2] ^= 0x01;
                    }

                    var copy = new ByteArrayContent(body);
                    foreach (var header in content.Headers)
                    {
                        copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
                    }

                    request.Content = copy;
                }

                return await base.SendAsync(request, cancellationToken);
            }
        }
    }

    private sealed class FailingStream(long failAfter) : MemoryStream(new byte[failAfter])
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await base.ReadAsync(buffer, cancellationToken);
            return read == 0 ? throw new IOException("device disconnected") : read;
        }
    }
}
