namespace Enforcement.Media.Storage.Objects;

/// <summary>Where one immutable object lives: the key and, on S3, the exact version.</summary>
public sealed record ObjectRef(string Key, string? VersionId)
{
    public override string ToString() => VersionId is null ? Key : $"{Key}?versionId={VersionId}";
}
