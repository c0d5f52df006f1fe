namespace Enforcement.Media.Player.Recordings;

/// <summary>
/// How long a recording took from the recorder to storage: from its true start (the recorder's clock corrected
/// by the offset a station measured, as the case linker reads it) to the moment it was first stored. The
/// recording search filters by it (<c>delayOver</c>) and the statistics count it, so a late-docking figure and
/// the list behind it agree.
/// </summary>
public static class StorageDelay
{
    /// <summary>The delay of the recording aliased <c>r</c> in seconds (double precision); null when its recorder reported no start.</summary>
    public const string Seconds =
        "extract(epoch FROM r.ingested_at - (r.recorder_started_at + make_interval(secs => coalesce(r.recorder_clock_offset_seconds, 0))))::double precision";
}
