namespace Enforcement.Media.Storage.Objects.S3;

/// <summary>Configuration section <c>Store:S3</c>: any S3 server that enforces Object Lock (MinIO, Ceph RGW, AWS).</summary>
public sealed class S3StoreOptions
{
    public const string Section = "Store:S3";

    /// <summary>Endpoint, e.g. <c>http://minio:9000</c>. Empty means AWS itself (with <see cref="Region"/>).</summary>
    public string ServiceUrl { get; set; } = string.Empty;

    public string Region { get; set; } = "us-east-1";

    public string AccessKey { get; set; } = string.Empty;

    public string SecretKey { get; set; } = string.Empty;

    /// <summary>The evidence bucket. It must have Object Lock enabled; the store refuses to start otherwise.</summary>
    public string Bucket { get; set; } = "evidence";

    /// <summary>Create the bucket (with Object Lock) when it does not exist.</summary>
    public bool CreateBucket { get; set; } = true;

    /// <summary>Path-style addressing (<c>http://host/bucket/key</c>): what MinIO and Ceph RGW expect.</summary>
    public bool ForcePathStyle { get; set; } = true;

    /// <summary>Objects larger than one part go up as multipart uploads of this size (S3 minimum 5 MiB).</summary>
    public int PartSizeBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>
    /// Parts in flight per upload; each holds one part-sized buffer. 10 × 8 MiB is what <c>aws s3 cp</c>
    /// uses; the ingest benchmark measured 4 × 16 MiB at about 0.6 of it on Ceph RGW, 10 × 8 MiB at 0.86.
    /// </summary>
    public int MaxConcurrentParts { get; set; } = 10;

    /// <summary>
    /// How long one S3 request (a part of at most <see cref="PartSizeBytes"/>, or a small call) may take
    /// before it fails; the SDK then tries it again, three times at most. A server that stops answering
    /// without closing the connection (Ceph RGW does this for every write once an OSD is full) then
    /// fails the write with an error naming this setting instead of holding it for minutes.
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Also send <c>x-amz-checksum-sha256</c> with every PUT and part (AWS and MinIO verify it and keep
    /// it with the object; Ceph RGW 16 ignores it). Off by default: every body is already signed with
    /// its SHA-256, which every S3 server verifies, and this costs one more pass over the bytes.
    /// </summary>
    public bool SendSha256Checksums { get; set; }
}
