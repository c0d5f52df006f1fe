using Amazon.S3.Model;
using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Tests.Infrastructure;

namespace Enforcement.Media.Tests.Ingest.KillTest;

/// <summary>How the kill tests point processes at Ceph RGW and list what they left there.</summary>
internal static class KillStores
{
    public static IReadOnlyDictionary<string, string> S3(S3BucketFixture bucket) => new Dictionary<string, string>
    {
        ["Store__Kind"] = "S3",
        ["Store__S3__ServiceUrl"] = bucket.Options.ServiceUrl,
        ["Store__S3__AccessKey"] = bucket.Options.AccessKey,
        ["Store__S3__SecretKey"] = bucket.Options.SecretKey,
        ["Store__S3__Bucket"] = bucket.Options.Bucket,
        ["Store__S3__PartSizeBytes"] = (5 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Every version under <c>original/</c>, locked or not (delete markers would be a finding too).</summary>
    public static async Task<IReadOnlyList<ObjectRef>> ListOriginalsAsync(S3BucketFixture bucket, CancellationToken cancellationToken)
    {
        var versions = await bucket.Raw.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket.Options.Bucket, Prefix = ObjectKind.Original.ToName() + "/" }, cancellationToken);
        Assert.False(versions.IsTruncated ?? false, "the kill test bucket holds more versions than one listing page");
        return [.. (versions.Versions ?? []).Select(v => new ObjectRef(v.Key, v.IsDeleteMarker == true ? $"delete-marker:{v.VersionId}" : v.VersionId))];
    }

    public static async Task<IReadOnlyList<string>> ListMultipartUploadsAsync(S3BucketFixture bucket, CancellationToken cancellationToken)
    {
        var uploads = await bucket.Raw.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = bucket.Options.Bucket }, cancellationToken);
        return [.. (uploads.MultipartUploads ?? []).Select(u => $"unfinished multipart upload {u.Key} ({u.UploadId})")];
    }
}
