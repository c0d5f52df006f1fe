namespace Enforcement.Media.Player.Playback;

/// <summary>A stretch of media time, in seconds, that a session played.</summary>
public sealed record WatchedInterval(double From, double To)
{
    /// <summary>
    /// What two consecutive heartbeats prove was watched: only when the first said "playing" and the
    /// position then advanced no further than the elapsed wall time at the reported rate allows (with a
    /// little slack for timer jitter). A jump beyond that, or backwards, is a seek: nothing is credited for
    /// that stretch, because when the seek happened is unknown — the ledger under-states rather than
    /// claims seconds nobody saw. The page sends a heartbeat just before a seek and after it to lose nothing.
    /// </summary>
    public static WatchedInterval? Between(LastHeartbeat? previous, double position, DateTimeOffset now)
    {
        if (previous is not { Playing: true })
        {
            return null;
        }

        var elapsed = (now - previous.At).TotalSeconds;
        var advanced = position - previous.Position;
        if (elapsed <= 0 || advanced <= 0)
        {
            return null;
        }

        var expected = elapsed * previous.Rate;
        var slack = Math.Max(1.0, expected * 0.25);
        return advanced <= expected + slack ? new WatchedInterval(previous.Position, position) : null;
    }
}
