namespace Enforcement.Media.Storage.Objects;

public enum EvidenceStoreKind
{
    FileSystem,
    S3,
}
