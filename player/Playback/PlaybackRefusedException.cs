using Enforcement.Media.Player.Refusals;

namespace Enforcement.Media.Player.Playback;

/// <summary>
/// A viewing action refused as asked: <paramref name="statusCode"/> is the HTTP answer (400 bad input,
/// 403 not visible / approval missing / not your session, 404 unknown, 409 nothing to stream yet, 410 the
/// session is over) and <paramref name="field"/> names the input to fix, when there is one.
/// </summary>
public sealed class PlaybackRefusedException(int statusCode, string message, string? field = null) : RefusedException(statusCode, message, field);
