namespace Enforcement.Media.Player.Playback;

/// <summary>
/// What the page needs to play a viewing: the session, when it lapses without heartbeats, where its media
/// and thumbnails are, and the frame rate for frame stepping.
/// </summary>
public sealed record StartedSession(
    Guid SessionId,
    DateTimeOffset ExpiresAt,
    string MediaUrl,
    string MediaType,
    string? ThumbnailsUrl,
    double? FrameRate,
    double? DurationSeconds);
