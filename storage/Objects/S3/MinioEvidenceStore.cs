using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Enforcement.Media.Storage.Startup;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Minio;
using Minio.DataModel.Args;
using Minio.DataModel.ObjectLock;
using Minio.Exceptions;
using MinioObjectNotFound = Minio.Exceptions.ObjectNotFoundException;

namespace Enforcement.Media.Storage.Objects.S3;

/// <summary>
/// The S3 evidence store spoken through the MinIO .NET SDK: the same bucket layout, keys and locks as
/// <see cref="S3EvidenceStore"/> (COMPLIANCE retention applied to the completed version and read back).
/// </summary>
/// <remarks>
/// Reads go through a presigned GET sent on the SDK's own HttpClient with a <c>Range</c> header
/// (RFC 9110 §14): the SDK's <c>GetObjectAsync</c> first sends a HEAD carrying the same range,
/// which S3 servers answer <c>206 Partial Content</c>, and the SDK raises that answer as a
/// <c>PartialContentException</c>; it also hands its callback the body before it looks at the
/// status, so an error document would reach the reader as footage.
/// </remarks>
public sealed partial class MinioEvidenceStore : IEvidenceStore, IDisposable
{
    private readonly IMinioClient _minio;
    private readonly S3StoreOptions _options;
    private readonly MinioObjectWriter _writer;
    private readonly ILogger<MinioEvidenceStore> _logger;

    public MinioEvidenceStore(IOptions<S3StoreOptions> options, ILogger<MinioEvidenceStore> logger)
        : this(MinioClientFactory.Create(options.Value), options.Value, logger)
    {
    }

    internal MinioEvidenceStore(IMinioClient minio, S3StoreOptions options, ILogger<MinioEvidenceStore> logger)
    {
        _minio = minio;
        _options = options;
        _writer = new MinioObjectWriter(minio, options);
        _logger = logger;
        Name = $"s3://{options.Bucket}";
    }

    public string Name { get; }

    public async Task EnsureReadyAsync(CancellationToken cancellationToken)
    {
        if (!ValidBucketName().IsMatch(_options.Bucket) || _options.Bucket.Contains("..", StringComparison.Ordinal))
        {
            throw new StartupCheckException(
                $"{S3StoreOptions.Section}:Bucket",
                $"'{_options.Bucket}' is not an S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens, beginning and ending with a letter or digit.");
        }

        var configuration = await StartupCheckAsync(() => GetLockConfigurationAsync(cancellationToken), cancellationToken);
        if (configuration is null)
        {
            if (!_options.CreateBucket)
            {
                throw new StartupCheckException($"{S3StoreOptions.Section}:Bucket", $"Bucket '{_options.Bucket}' does not exist and creating it is turned off.");
            }

            await StartupCheckAsync(
                async () =>
                {
                    await _minio.MakeBucketAsync(new MakeBucketArgs().WithBucket(_options.Bucket).WithObjectLock(), cancellationToken);
                    return true;
                },
                cancellationToken);
            LogBucketCreated(_options.Bucket);
            configuration = await StartupCheckAsync(() => GetLockConfigurationAsync(cancellationToken), cancellationToken);
        }

        if (configuration != true)
        {
            throw new StartupCheckException(
                $"{S3StoreOptions.Section}:Bucket",
                $"Bucket '{_options.Bucket}' does not have Object Lock enabled, so evidence stored there could be deleted or overwritten. Use a bucket created with Object Lock.");
        }

        LogReady(_options.Bucket);
    }

    public Task<PendingObject> WriteAsync(ObjectWrite write, Stream content, IProgress<long>? progress, CancellationToken cancellationToken) =>
        NamingTimeoutsAsync(
            () => _writer.WriteAsync(write, KeyOf(write), content, progress, cancellationToken),
            $"store {KeyOf(write)}",
            "the write is given up (anything of it the server took later goes when the write is abandoned)",
            cancellationToken);

    public Task<SealedObject> SealAsync(PendingObject pending, ObjectLock objectLock, CancellationToken cancellationToken) =>
        NamingTimeoutsAsync(
            () => LockAsync(pending, objectLock, cancellationToken),
            $"lock {pending.Location}",
            "the object stays stored but unlocked until its write is finished or abandoned",
            cancellationToken);

    private async Task<SealedObject> LockAsync(PendingObject pending, ObjectLock objectLock, CancellationToken cancellationToken)
    {
        var location = pending.Location;
        var requested = RoundUpToSecond(objectLock.RetainUntil);
        try
        {
            await PutRetentionAsync(location, requested, cancellationToken);
        }
        catch (ObjectLockedException)
        {
            // Sealed before by a process that died before committing: the later date it holds is read back below.
        }

        if (objectLock.LegalHold)
        {
            await _minio.SetObjectLegalHoldAsync(
                new SetObjectLegalHoldArgs().WithBucket(_options.Bucket).WithObject(location.Key).WithVersionId(location.VersionId).WithLegalHold(true),
                cancellationToken);
        }

        var retention = await GetRetentionAsync(location, cancellationToken);
        if (retention.Mode != ObjectRetention.Compliance || retention.RetainUntil < requested || retention.LegalHold != objectLock.LegalHold)
        {
            throw new ObjectIntegrityException(
                $"The S3 server did not apply the lock to {location}: asked COMPLIANCE until {requested:O} (hold {objectLock.LegalHold}), read back {retention.Mode} until {retention.RetainUntil:O} (hold {retention.LegalHold}).");
        }

        return new SealedObject(location, pending.Sha256, pending.Size, retention, AlreadyStored: false);
    }

    public async Task DiscardAsync(PendingObject pending, CancellationToken cancellationToken)
    {
        try
        {
            await RemoveAsync(pending.Location, cancellationToken);
        }
        catch (MinioObjectNotFound)
        {
            // Already gone.
        }
    }

    public async Task AbandonAsync(ObjectWrite write, CancellationToken cancellationToken)
    {
        var key = KeyOf(write);
        await _minio.RemoveIncompleteUploadAsync(new RemoveIncompleteUploadArgs().WithBucket(_options.Bucket).WithObject(key), cancellationToken);

        await foreach (var item in _minio.ListObjectsEnumAsync(
            new ListObjectsArgs().WithBucket(_options.Bucket).WithPrefix(key).WithRecursive(true).WithVersions(true), cancellationToken))
        {
            var location = new ObjectRef(item.Key, item.VersionId);
            var retention = await GetRetentionAsync(location, cancellationToken);
            if (retention.RetainUntil is null && !retention.LegalHold)
            {
                await RemoveAsync(location, cancellationToken);
            }
        }
    }

    public async Task<ObjectHead?> HeadAsync(ObjectRef location, CancellationToken cancellationToken)
    {
        try
        {
            var stat = await _minio.StatObjectAsync(new StatObjectArgs().WithBucket(_options.Bucket).WithObject(location.Key).WithVersionId(location.VersionId), cancellationToken);
            return new ObjectHead(location, stat.Size, new DateTimeOffset(DateTime.SpecifyKind(stat.LastModified.ToUniversalTime(), DateTimeKind.Utc)), stat.ContentType);
        }
        catch (MinioObjectNotFound)
        {
            return null;
        }
    }

    public async Task<Stream> OpenReadAsync(ObjectRef location, ByteRange? range, CancellationToken cancellationToken)
    {
        var args = new PresignedGetObjectArgs().WithBucket(_options.Bucket).WithObject(location.Key).WithExpiry((int)Math.Clamp(_options.RequestTimeout.TotalSeconds, 60, 3600));
        if (location.VersionId is not null)
        {
            // The SDK signs its "headers" into a presigned URL's query; versionId is the one it keeps as spelled.
            args.WithHeaders(new Dictionary<string, string>(StringComparer.Ordinal) { ["versionId"] = location.VersionId });
        }

        var url = await _minio.PresignedGetObjectAsync(args);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (range is { } r)
        {
            request.Headers.Range = new RangeHeaderValue(r.First, r.Last);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.RequestTimeout);
        HttpResponseMessage response;
        try
        {
            response = await _minio.Config.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw Timeout($"read {location}", "nothing was read", ex);
        }

        if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.PartialContent)
        {
            var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            return new OwningStream(body, response);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            throw response.StatusCode switch
            {
                HttpStatusCode.NotFound => new ObjectNotFoundException(location, new HttpRequestException(text, null, response.StatusCode)),
                HttpStatusCode.RequestedRangeNotSatisfiable => new ArgumentOutOfRangeException(nameof(range), text),
                _ => new HttpRequestException($"The S3 server answered {(int)response.StatusCode} to a read of {location}: {text}", null, response.StatusCode),
            };
        }
    }

    public async Task<ObjectRetention> GetRetentionAsync(ObjectRef location, CancellationToken cancellationToken)
    {
        DateTimeOffset? retainUntil = null;
        var mode = ObjectRetention.Compliance;
        try
        {
            var retention = await _minio.GetObjectRetentionAsync(
                new GetObjectRetentionArgs().WithBucket(_options.Bucket).WithObject(location.Key).WithVersionId(location.VersionId), cancellationToken);
            if (retention?.RetainUntilDate is { Length: > 0 } until)
            {
                retainUntil = DateTimeOffset.Parse(until, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
                mode = retention.Mode.ToString();
            }
        }
        catch (MissingObjectLockConfigurationException)
        {
            // No retention on this version.
        }
        catch (Exception ex) when (ex is MinioObjectNotFound || ex is MinioException { Response.Code: "NoSuchKey" or "NoSuchVersion" })
        {
            throw new ObjectNotFoundException(location, ex);
        }

        var legalHold = false;
        try
        {
            legalHold = await _minio.GetObjectLegalHoldAsync(
                new GetObjectLegalHoldArgs().WithBucket(_options.Bucket).WithObject(location.Key).WithVersionId(location.VersionId), cancellationToken);
        }
        catch (MissingObjectLockConfigurationException)
        {
            // No legal hold was ever set on this version.
        }

        return new ObjectRetention(retainUntil, legalHold, mode);
    }

    public async IAsyncEnumerable<ObjectRef> ListAsync(ObjectKind kind, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Versions, not keys: a later PUT to a key is only a new version, and the locked one is the evidence.
        await foreach (var item in _minio.ListObjectsEnumAsync(
            new ListObjectsArgs().WithBucket(_options.Bucket).WithPrefix(kind.ToName() + "/").WithRecursive(true).WithVersions(true), cancellationToken))
        {
            if (!item.IsDir)
            {
                yield return new ObjectRef(item.Key, item.VersionId);
            }
        }
    }

    public async Task<ObjectRetention> ExtendRetentionAsync(ObjectRef location, DateTimeOffset retainUntil, CancellationToken cancellationToken)
    {
        var current = await GetRetentionAsync(location, cancellationToken);
        var requested = RoundUpToSecond(retainUntil);
        if (current.RetainUntil >= requested)
        {
            return current;
        }

        await PutRetentionAsync(location, requested, cancellationToken);
        return await GetRetentionAsync(location, cancellationToken);
    }

    public async Task<ObjectRetention> SetLegalHoldAsync(ObjectRef location, bool enabled, CancellationToken cancellationToken)
    {
        await _minio.SetObjectLegalHoldAsync(
            new SetObjectLegalHoldArgs().WithBucket(_options.Bucket).WithObject(location.Key).WithVersionId(location.VersionId).WithLegalHold(enabled),
            cancellationToken);
        return await GetRetentionAsync(location, cancellationToken);
    }

    public async Task DeleteAsync(ObjectRef location, CancellationToken cancellationToken)
    {
        if (location.VersionId is null)
        {
            throw new ArgumentException("Deleting evidence needs the exact version id.", nameof(location));
        }

        await RemoveAsync(location, cancellationToken);
        LogDeleted(location.Key, location.VersionId);
    }

    public void Dispose() => _minio.Dispose();

    private async Task RemoveAsync(ObjectRef location, CancellationToken cancellationToken)
    {
        try
        {
            await _minio.RemoveObjectAsync(new RemoveObjectArgs().WithBucket(_options.Bucket).WithObject(location.Key).WithVersionId(location.VersionId), cancellationToken);
        }
        catch (Exception ex) when (ex is AccessDeniedException || ex is MinioException { Response.Code: "AccessDenied" })
        {
            throw new ObjectLockedException(location, $"the S3 server refused ({ex.Message})", ex);
        }
    }

    private async Task PutRetentionAsync(ObjectRef location, DateTimeOffset retainUntil, CancellationToken cancellationToken)
    {
        try
        {
            await _minio.SetObjectRetentionAsync(
                new SetObjectRetentionArgs().WithBucket(_options.Bucket).WithObject(location.Key).WithVersionId(location.VersionId)
                    .WithRetentionMode(ObjectRetentionMode.COMPLIANCE).WithRetentionUntilDate(retainUntil.UtcDateTime),
                cancellationToken);
        }
        catch (Exception ex) when (ex is AccessDeniedException || ex is MinioException { Response.Code: "AccessDenied" })
        {
            throw new ObjectLockedException(location, $"the S3 server refused the retention change ({ex.Message})", ex);
        }
    }

    /// <summary>Null when the bucket does not exist; whether its Object Lock is enabled otherwise.</summary>
    private async Task<bool?> GetLockConfigurationAsync(CancellationToken cancellationToken)
    {
        try
        {
            // The SDK's ObjectLockConfiguration() sets ObjectLockEnabled to "Enabled", so a document
            // without the element would read as enabled: only an explicit "Enabled" counts here.
            var configuration = await _minio.GetObjectLockConfigurationAsync(new GetObjectLockConfigurationArgs().WithBucket(_options.Bucket), cancellationToken);
            return configuration?.ObjectLockEnabled == ObjectLockConfiguration.LockEnabled;
        }
        catch (BucketNotFoundException)
        {
            return null;
        }
        catch (MissingObjectLockConfigurationException)
        {
            return false;
        }
    }

    private async Task<T> StartupCheckAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        var section = S3StoreOptions.Section;
        try
        {
            return await call();
        }
        catch (AuthorizationException ex)
        {
            // The SDK keeps only the server's message of an InvalidAccessKeyId or SignatureDoesNotMatch,
            // not its code, and Ceph RGW sends an empty message: which key is wrong cannot be told.
            throw new StartupCheckException($"{section}:AccessKey", $"The S3 server at '{_options.ServiceUrl}' refused the configured access key or secret key.", ex);
        }
        catch (Exception ex) when (ex is AccessDeniedException || ex is MinioException { Response.Code: "AccessDenied" })
        {
            throw new StartupCheckException($"{section}:AccessKey", $"The configured S3 credentials may not use bucket '{_options.Bucket}'.", ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new StartupCheckException(
                $"{section}:RequestTimeout",
                $"The S3 server at '{_options.ServiceUrl}' did not answer within {_options.RequestTimeout}: it is unreachable without refusing (check Store:S3:ServiceUrl), or it hangs, as Ceph RGW does once an OSD is full ('ceph health').",
                ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or SocketException or ConnectionException)
        {
            throw new StartupCheckException($"{section}:ServiceUrl", $"Cannot reach the S3 server at '{_options.ServiceUrl}': {ex.Message}", ex);
        }
    }

    /// <summary>The SDK reports its own request timeout as a bare cancellation: named here as the store's timeout.</summary>
    private async Task<T> NamingTimeoutsAsync<T>(Func<Task<T>> call, string doing, string consequence, CancellationToken cancellationToken)
    {
        try
        {
            return await call();
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw Timeout(doing, consequence, ex);
        }
    }

    private EvidenceStoreTimeoutException Timeout(string doing, string consequence, Exception inner) =>
        new(
            $"The S3 server at '{_options.ServiceUrl}' did not answer a request to {doing} within {_options.RequestTimeout} ({S3StoreOptions.Section}:RequestTimeout); "
            + $"{consequence}. Ceph RGW holds every write this way once an OSD is full ('ceph health').",
            inner);

    private static string KeyOf(ObjectWrite write)
    {
        var created = UuidV7.Timestamp(write.WriteId);
        return $"{write.Kind.ToName()}/{created:yyyy}/{created:MM}/{created:dd}/{write.WriteId:N}";
    }

    private static DateTimeOffset RoundUpToSecond(DateTimeOffset value)
    {
        var truncated = new DateTimeOffset(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        return truncated == value.ToUniversalTime() ? truncated : truncated.AddSeconds(1);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex ValidBucketName();

    [LoggerMessage(Level = LogLevel.Debug, Message = "S3 evidence store ready: bucket {Bucket} has Object Lock enabled")]
    private partial void LogReady(string bucket);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created evidence bucket {Bucket} with Object Lock enabled")]
    private partial void LogBucketCreated(string bucket);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deleted object {ObjectKey} version {VersionId} after its retention ended")]
    private partial void LogDeleted(string objectKey, string? versionId);

    /// <summary>A response body that owns its response, so the connection is released on dispose.</summary>
    private sealed class OwningStream(Stream body, HttpResponseMessage response) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => response.Content.Headers.ContentLength ?? throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => body.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => body.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => body.ReadAsync(buffer, offset, count, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                body.Dispose();
                response.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
