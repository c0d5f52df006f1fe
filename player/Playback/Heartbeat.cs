namespace Enforcement.Media.Player.Playback;

/// <summary>The body of a heartbeat: where the page's player is (seconds of media time), whether it plays, at what rate.</summary>
public sealed record Heartbeat(double? Position, bool? Playing, double? Rate);
