using System.Net;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Amazon.S3;
using Amazon.S3.Model;
using Enforcement.Media.Storage.Startup;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Storage.Objects.S3;

/// <summary>
/// Evidence in an S3 bucket with Object Lock (MinIO in production, Ceph RGW in tests, AWS). Sealed
/// objects carry COMPLIANCE retention, which nobody — these credentials included — can shorten or
/// delete before it ends. Keys are <c>&lt;kind&gt;/yyyy/MM/dd/&lt;write id&gt;</c>; the catalogue maps
/// SHA-256 to key and version, and keeps one object per distinct content.
/// </summary>
/// <remarks>
/// Retention is applied to the completed version with PutObjectRetention and read back, rather than
/// sent as headers on the upload: Ceph RGW 16 ignores lock headers on CreateMultipartUpload, and the
/// SHA-256 that decides whether to keep the object is only known after the last byte.
/// </remarks>
public sealed partial class S3EvidenceStore : IEvidenceStore, IDisposable
{
    private readonly IAmazonS3 _s3;
    private readonly S3StoreOptions _options;
    private readonly S3ObjectWriter _writer;
    private readonly ILogger<S3EvidenceStore> _logger;

    public S3EvidenceStore(IOptions<S3StoreOptions> options, ILogger<S3EvidenceStore> logger)
        : this(S3ClientFactory.Create(options.Value), options.Value, logger)
    {
    }

    internal S3EvidenceStore(IAmazonS3 s3, S3StoreOptions options, ILogger<S3EvidenceStore> logger)
    {
        _s3 = s3;
        _options = options;
        _writer = new S3ObjectWriter(s3, options);
        _logger = logger;
        Name = $"s3://{options.Bucket}";
    }

    public string Name { get; }

    public async Task EnsureReadyAsync(CancellationToken cancellationToken)
    {
        // Checked here: a server answers a malformed name with a bare 400 that names nothing.
        if (!ValidBucketName().IsMatch(_options.Bucket) || _options.Bucket.Contains("..", StringComparison.Ordinal))
        {
            throw new StartupCheckException(
                $"{S3StoreOptions.Section}:Bucket",
                $"'{_options.Bucket}' is not an S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens, beginning and ending with a letter or digit.");
        }

        var configuration = await S3Failures.TranslateAsync(() => GetLockConfigurationAsync(cancellationToken), _options);
        if (configuration is null)
        {
            if (!_options.CreateBucket)
            {
                throw new StartupCheckException($"{S3StoreOptions.Section}:Bucket", $"Bucket '{_options.Bucket}' does not exist and creating it is turned off.");
            }

            await S3Failures.TranslateAsync(
                () => _s3.PutBucketAsync(new PutBucketRequest { BucketName = _options.Bucket, ObjectLockEnabledForBucket = true }, cancellationToken),
                _options);
            LogBucketCreated(_options.Bucket);
            configuration = await S3Failures.TranslateAsync(() => GetLockConfigurationAsync(cancellationToken), _options);
        }

        if (configuration?.ObjectLockEnabled != ObjectLockEnabled.Enabled)
        {
            // Refuse to run rather than store evidence that can be altered or deleted.
            throw new StartupCheckException(
                $"{S3StoreOptions.Section}:Bucket",
                $"Bucket '{_options.Bucket}' does not have Object Lock enabled, so evidence stored there could be deleted or overwritten. Use a bucket created with Object Lock.");
        }

        if (configuration.Rule?.DefaultRetention is { } defaults)
        {
            LogDefaultRetention(_options.Bucket, defaults.Mode?.Value, defaults.Days, defaults.Years);
        }

        LogReady(_options.Bucket);
    }

    public Task<PendingObject> WriteAsync(ObjectWrite write, Stream content, IProgress<long>? progress, CancellationToken cancellationToken) =>
        _writer.WriteAsync(write, KeyOf(write), content, progress, cancellationToken);

    public Task<SealedObject> SealAsync(PendingObject pending, ObjectLock objectLock, CancellationToken cancellationToken) =>
        S3Failures.NamingTimeoutsAsync(
            () => LockAsync(pending, objectLock, cancellationToken),
            _options,
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
            // Sealed before, by a process that died before committing (its copy is being adopted):
            // COMPLIANCE refuses an earlier date, and the later one it holds is read back below.
        }

        if (objectLock.LegalHold)
        {
            await PutLegalHoldAsync(location, true, cancellationToken);
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
            await _s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _options.Bucket, Key = pending.Location.Key, VersionId = pending.Location.VersionId }, cancellationToken);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            // Already gone: nothing to discard.
        }
    }

    public async Task AbandonAsync(ObjectWrite write, CancellationToken cancellationToken)
    {
        var key = KeyOf(write);
        var uploads = await _s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = _options.Bucket, Prefix = key }, cancellationToken);
        foreach (var upload in uploads.MultipartUploads ?? [])
        {
            await _s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = _options.Bucket, Key = upload.Key, UploadId = upload.UploadId }, cancellationToken);
        }

        var versions = await _s3.ListVersionsAsync(new ListVersionsRequest { BucketName = _options.Bucket, Prefix = key }, cancellationToken);
        foreach (var version in versions.Versions ?? [])
        {
            var location = new ObjectRef(version.Key, version.VersionId);
            var retention = await GetRetentionAsync(location, cancellationToken);
            if (retention.RetainUntil is null && !retention.LegalHold)
            {
                await _s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _options.Bucket, Key = version.Key, VersionId = version.VersionId }, cancellationToken);
            }
        }
    }

    public async Task<ObjectHead?> HeadAsync(ObjectRef location, CancellationToken cancellationToken)
    {
        try
        {
            var head = await _s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = _options.Bucket, Key = location.Key, VersionId = location.VersionId }, cancellationToken);
            return new ObjectHead(location, head.ContentLength, head.LastModified ?? default, head.Headers.ContentType);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<Stream> OpenReadAsync(ObjectRef location, ByteRange? range, CancellationToken cancellationToken)
    {
        var request = new GetObjectRequest { BucketName = _options.Bucket, Key = location.Key, VersionId = location.VersionId };
        if (range is { } r)
        {
            request.ByteRange = new Amazon.S3.Model.ByteRange(r.First, r.Last);
        }

        try
        {
            var response = await _s3.GetObjectAsync(request, cancellationToken);
            return new S3ResponseStream(response);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            throw new ObjectNotFoundException(location, ex);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            throw new ArgumentOutOfRangeException(nameof(range), ex.Message);
        }
    }

    public async Task<ObjectRetention> GetRetentionAsync(ObjectRef location, CancellationToken cancellationToken)
    {
        DateTimeOffset? retainUntil = null;
        var mode = ObjectRetention.Compliance;
        try
        {
            var retention = await _s3.GetObjectRetentionAsync(new GetObjectRetentionRequest { BucketName = _options.Bucket, Key = location.Key, VersionId = location.VersionId }, cancellationToken);
            if (retention.Retention?.RetainUntilDate is { } until)
            {
                retainUntil = new DateTimeOffset(DateTime.SpecifyKind(until.ToUniversalTime(), DateTimeKind.Utc));
                mode = retention.Retention.Mode?.Value ?? string.Empty;
            }
        }
        catch (AmazonS3Exception ex) when (S3Failures.IsNoLockConfiguration(ex))
        {
            // No retention on this version.
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound && ex.ErrorCode is "NoSuchKey" or "NoSuchVersion")
        {
            throw new ObjectNotFoundException(location, ex);
        }

        var legalHold = false;
        try
        {
            var hold = await _s3.GetObjectLegalHoldAsync(new GetObjectLegalHoldRequest { BucketName = _options.Bucket, Key = location.Key, VersionId = location.VersionId }, cancellationToken);
            legalHold = hold.LegalHold?.Status == ObjectLockLegalHoldStatus.On;
        }
        catch (AmazonS3Exception ex) when (S3Failures.IsNoLockConfiguration(ex))
        {
            // No legal hold was ever set on this version.
        }

        return new ObjectRetention(retainUntil, legalHold, mode);
    }

    public async IAsyncEnumerable<ObjectRef> ListAsync(ObjectKind kind, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Versions, not keys: a later PUT to a key is only a new version, and the locked one is the evidence.
        var request = new ListVersionsRequest { BucketName = _options.Bucket, Prefix = kind.ToName() + "/" };
        while (true)
        {
            var page = await _s3.ListVersionsAsync(request, cancellationToken);
            foreach (var version in page.Versions ?? [])
            {
                if (version.IsDeleteMarker != true)
                {
                    yield return new ObjectRef(version.Key, version.VersionId);
                }
            }

            if (page.IsTruncated != true)
            {
                yield break;
            }

            request.KeyMarker = page.NextKeyMarker;
            request.VersionIdMarker = page.NextVersionIdMarker;
        }
    }

    public async Task<ObjectRetention> ExtendRetentionAsync(ObjectRef location, DateTimeOffset retainUntil, CancellationToken cancellationToken)
    {
        var current = await GetRetentionAsync(location, cancellationToken);
        var requested = RoundUpToSecond(retainUntil);
        if (current.RetainUntil >= requested)
        {
            return current; // never shorten: a later date already holds
        }

        await PutRetentionAsync(location, requested, cancellationToken);
        return await GetRetentionAsync(location, cancellationToken);
    }

    public async Task<ObjectRetention> SetLegalHoldAsync(ObjectRef location, bool enabled, CancellationToken cancellationToken)
    {
        await PutLegalHoldAsync(location, enabled, cancellationToken);
        return await GetRetentionAsync(location, cancellationToken);
    }

    public async Task DeleteAsync(ObjectRef location, CancellationToken cancellationToken)
    {
        if (location.VersionId is null)
        {
            // Without a version id S3 would only add a delete marker and report success.
            throw new ArgumentException("Deleting evidence needs the exact version id.", nameof(location));
        }

        try
        {
            await _s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _options.Bucket, Key = location.Key, VersionId = location.VersionId }, cancellationToken);
            LogDeleted(location.Key, location.VersionId);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.Forbidden)
        {
            throw new ObjectLockedException(location, $"the S3 server refused ({ex.ErrorCode}: {ex.Message})", ex);
        }
    }

    public void Dispose() => _s3.Dispose();

    private async Task PutRetentionAsync(ObjectRef location, DateTimeOffset retainUntil, CancellationToken cancellationToken)
    {
        try
        {
            await _s3.PutObjectRetentionAsync(
                new PutObjectRetentionRequest
                {
                    BucketName = _options.Bucket,
                    Key = location.Key,
                    VersionId = location.VersionId,
                    Retention = new ObjectLockRetention { Mode = ObjectLockRetentionMode.Compliance, RetainUntilDate = retainUntil.UtcDateTime },
                },
                cancellationToken);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.Forbidden)
        {
            throw new ObjectLockedException(location, $"the S3 server refused the retention change ({ex.ErrorCode})", ex);
        }
    }

    private async Task PutLegalHoldAsync(ObjectRef location, bool enabled, CancellationToken cancellationToken) =>
        await _s3.PutObjectLegalHoldAsync(
            new PutObjectLegalHoldRequest
            {
                BucketName = _options.Bucket,
                Key = location.Key,
                VersionId = location.VersionId,
                LegalHold = new ObjectLockLegalHold { Status = enabled ? ObjectLockLegalHoldStatus.On : ObjectLockLegalHoldStatus.Off },
            },
            cancellationToken);

    private async Task<ObjectLockConfiguration?> GetLockConfigurationAsync(CancellationToken cancellationToken)
    {
        try
        {
            var response = await _s3.GetObjectLockConfigurationAsync(new GetObjectLockConfigurationRequest { BucketName = _options.Bucket }, cancellationToken);
            return response.ObjectLockConfiguration ?? new ObjectLockConfiguration();
        }
        catch (AmazonS3Exception ex) when (ex.ErrorCode == "NoSuchBucket")
        {
            return null;
        }
        catch (AmazonS3Exception ex) when (S3Failures.IsNoLockConfiguration(ex))
        {
            return new ObjectLockConfiguration();
        }
    }

    /// <summary>The key is derived from the write id alone, so an interrupted write can be found again.</summary>
    private static string KeyOf(ObjectWrite write)
    {
        var created = UuidV7.Timestamp(write.WriteId);
        return $"{write.Kind.ToName()}/{created:yyyy}/{created:MM}/{created:dd}/{write.WriteId:N}";
    }

    /// <summary>S3 stores retain-until to the second; rounding up keeps "at least this long" true.</summary>
    private static DateTimeOffset RoundUpToSecond(DateTimeOffset value)
    {
        var truncated = new DateTimeOffset(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        return truncated == value.ToUniversalTime() ? truncated : truncated.AddSeconds(1);
    }

    /// <summary>S3's bucket naming rules (virtual-host safe: no upper case or underscores).</summary>
    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex ValidBucketName();

    [LoggerMessage(Level = LogLevel.Debug, Message = "S3 evidence store ready: bucket {Bucket} has Object Lock enabled")]
    private partial void LogReady(string bucket);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created evidence bucket {Bucket} with Object Lock enabled")]
    private partial void LogBucketCreated(string bucket);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bucket {Bucket} has a default retention ({Mode}, {Days} days, {Years} years): a duplicate upload cannot be discarded and stays until it expires")]
    private partial void LogDefaultRetention(string bucket, string? mode, int? days, int? years);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deleted object {ObjectKey} version {VersionId} after its retention ended")]
    private partial void LogDeleted(string objectKey, string? versionId);
}
