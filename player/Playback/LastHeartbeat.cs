namespace Enforcement.Media.Player.Playback;

/// <summary>A heartbeat as stored on its session: position (seconds), playing, rate, and when it arrived.</summary>
public sealed record LastHeartbeat(double Position, bool Playing, double Rate, DateTimeOffset At);
