namespace Enforcement.Media.Player.Playback;

/// <summary>Configuration section <c>Playback</c>: how long viewings and approvals last, and input limits.</summary>
public sealed class PlaybackOptions
{
    public const string Section = "Playback";

    /// <summary>
    /// A session with no heartbeat for this long is over: its stream refuses, and a new viewing (with a
    /// reason) is needed. The page sends a heartbeat every few seconds while open.
    /// </summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long an approval to view a classified recording stays usable after it is given.</summary>
    public TimeSpan ApprovalLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Longest reason (事由) accepted, in characters, after trimming.</summary>
    public int MaxReasonLength { get; set; } = 1000;

    /// <summary>Most range events one ledger transaction writes (concurrent requests share a commit).</summary>
    public int RangeLogBatchSize { get; set; } = 256;
}
