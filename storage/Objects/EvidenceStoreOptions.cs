namespace Enforcement.Media.Storage.Objects;

/// <summary>Which evidence store the process uses. Configuration section <c>Store</c>.</summary>
public sealed class EvidenceStoreOptions
{
    public const string Section = "Store";

    /// <summary><c>FileSystem</c> (embedded default, one machine) or <c>S3</c> (MinIO/Ceph/AWS with Object Lock).</summary>
    public EvidenceStoreKind Kind { get; set; } = EvidenceStoreKind.FileSystem;
}
