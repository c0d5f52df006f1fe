namespace Enforcement.Media.Storage.Objects;

/// <summary>Which evidence store the process uses. Configuration section <c>Store</c>.</summary>
public sealed class EvidenceStoreOptions
{
    public const string Section = "Store";

    /// <summary><c>FileSystem</c> (embedded default, one machine) or <c>S3</c> (MinIO/Ceph/AWS with Object Lock).</summary>
    public EvidenceStoreKind Kind { get; set; } = EvidenceStoreKind.FileSystem;

    /// <summary>
    /// How long a write in progress stays its process's own without being renewed (renewed every
    /// third of it while bytes stream). Recovery takes over writes whose lease ran out, so this is
    /// also how long a killed process's unfinished upload waits before it is cleaned up or finished.
    /// </summary>
    public TimeSpan PendingWriteLease { get; set; } = TimeSpan.FromMinutes(5);
}
