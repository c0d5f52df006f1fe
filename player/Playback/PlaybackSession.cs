namespace Enforcement.Media.Player.Playback;

/// <summary>A viewing as the stream and heartbeat endpoints need it: whose it is, what it streams, whether it is still live.</summary>
public sealed record PlaybackSession(
    Guid Id,
    Guid UserId,
    string Actor,
    Guid RecordingId,
    string Variant,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? EndedAt,
    StreamObject Media)
{
    public bool IsLive(DateTimeOffset now) => EndedAt is null && ExpiresAt > now;
}
