using Enforcement.Media.Storage.Objects;

namespace Enforcement.Media.Player.Playback;

/// <summary>One stored object a session may serve: where it is, its SHA-256 (the ETag), size and type.</summary>
public sealed record StreamObject(Guid ObjectId, ObjectRef Location, string Sha256, long Size, string? ContentType)
{
    /// <summary>A strong ETag: the content's SHA-256, which never changes for a write-once object.</summary>
    public string ETag => $"\"{Sha256}\"";
}
