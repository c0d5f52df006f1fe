namespace Enforcement.Media.Player.Playback;

/// <summary>
/// Bytes about to leave for a session: <paramref name="Part"/> is what they are (<c>media</c>,
/// <c>poster</c>, <c>sprite</c>, <c>thumbnails</c>), <paramref name="First"/>–<paramref name="Last"/> the
/// inclusive byte positions within the body sent (the stored object, or the thumbnails track as rewritten
/// for the session).
/// </summary>
public sealed record ServedRange(PlaybackSession Session, string Part, long First, long Last)
{
    public long Length => Last - First + 1;
}
