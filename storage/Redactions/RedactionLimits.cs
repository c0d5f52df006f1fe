namespace Enforcement.Media.Storage.Redactions;

/// <summary>
/// How much one redaction may ask for. Each region becomes a branch of one ffmpeg filter graph, so the
/// counts bound the graph (and the render's memory and time), not the number of faces in a scene:
/// a crowd is what whole-frame blur is for.
/// </summary>
public static class RedactionLimits
{
    public const int MaxRegions = 100;

    /// <summary>A key position a second for an hour.</summary>
    public const int MaxKeyframesPerRegion = 3600;

    public const int MaxKeyframes = 20_000;

    public const int MaxRanges = 200;

    /// <summary>Times may overshoot the probed duration by this much: containers round their durations.</summary>
    public const double DurationSlackSeconds = 0.5;

    /// <summary>Coordinates may overshoot the picture by this much: a region drawn to the edge lands on 1.0000001.</summary>
    public const double EdgeSlack = 1e-6;
}
