namespace Enforcement.Media.Storage.Media;

/// <summary>
/// The outcome of probing one original. <paramref name="UnplayableReason"/> is set when the media cannot
/// be played (ffprobe's own words where it gave any); the original stays stored and downloadable either way.
/// </summary>
/// <param name="RawJson">ffprobe's JSON exactly as printed; null when it printed none.</param>
/// <param name="Warnings">What ffprobe wrote to stderr on a successful run (damaged but readable files).</param>
public sealed record ProbeResult(MediaProbe Probe, string? UnplayableReason, string? RawJson, string? Warnings, string ToolVersion)
{
    public bool Playable => UnplayableReason is null;
}
