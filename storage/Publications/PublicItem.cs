using Enforcement.Media.Storage.Objects;

namespace Enforcement.Media.Storage.Publications;

/// <summary>What a public address names: the publication's words and state, and its watermarked copy.</summary>
public sealed record PublicItem(
    Guid Id, string Title, string Body, string Watermark, string State, DateTime? ExpiresAt, bool Disposed,
    string ObjectKey, string? VersionId, string Sha256, long SizeBytes, string? ContentType)
{
    public ObjectRef Location => new(ObjectKey, VersionId);

    public string ETag => $"\"{Sha256}\"";

    public bool IsPhoto => ContentType?.StartsWith("image/", StringComparison.Ordinal) == true;

    /// <summary>Public now: published, not expired, its footage not disposed of. Anything else answers 410.</summary>
    public bool IsLive(DateTimeOffset now) => State == PublicationState.Published && !Disposed && ExpiresAt is { } until && DateTime.SpecifyKind(until, DateTimeKind.Utc) > now.UtcDateTime;
}
