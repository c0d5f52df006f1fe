using Enforcement.Media.Player.Refusals;

namespace Enforcement.Media.Player.Playback;

/// <summary>
/// A viewing action refused as asked — bad input, role or approval missing or not your session, unknown or
/// not visible, nothing to stream yet, the session over — and <paramref name="field"/> names the input to
/// fix, when there is one.
/// </summary>
public sealed class PlaybackRefusedException(Refusal kind, string message, string? field = null) : RefusedException(kind, message, field)
{
    /// <summary>
    /// The one answer for a recording that does not exist and one the user may not see, so that asking
    /// reveals nothing about footage outside the user's reach: the same answer, the same words.
    /// </summary>
    public static PlaybackRefusedException NoSuchRecording() => new(Refusal.NotFound, "There is no such recording among those you may see.");
}
