using Enforcement.Media.Player.Refusals;

namespace Enforcement.Media.Player.Playback;

/// <summary>
/// A viewing action refused as asked: <paramref name="statusCode"/> is the HTTP answer (400 bad input,
/// 403 role or approval missing / not your session, 404 unknown or not visible, 409 nothing to stream yet, 410 the
/// session is over) and <paramref name="field"/> names the input to fix, when there is one.
/// </summary>
public sealed class PlaybackRefusedException(int statusCode, string message, string? field = null) : RefusedException(statusCode, message, field)
{
    /// <summary>
    /// The one answer for a recording that does not exist and one the user may not see, so that asking
    /// reveals nothing about footage outside the user's reach: the same 404, the same words.
    /// </summary>
    public static PlaybackRefusedException NoSuchRecording() => new(StatusCodes.Status404NotFound, "There is no such recording among those you may see.");
}
