namespace Enforcement.Media.Ingest.Media.Renditions;

/// <summary>
/// How to make a recording's playback rendition, decided from its probe alone.
/// </summary>
/// <param name="Size">The output's upright size when video is re-encoded; null when it is copied or there is no video.</param>
/// <param name="Reasons">Why the video or audio cannot simply be copied; empty for a remux.</param>
public sealed record RenditionPlan(
    RenditionMethod Method,
    int? VideoStream,
    int? AudioStream,
    bool CopyVideo,
    bool CopyAudio,
    FrameSize? Size,
    bool Deinterlace,
    bool DownmixToStereo,
    IReadOnlyList<string> Reasons)
{
    public static RenditionPlan Nothing { get; } = new(RenditionMethod.None, null, null, false, false, null, false, false, []);

    /// <summary>Quick work — copying the video, or audio alone — which the queue runs before video transcodes.</summary>
    public bool IsCheap => Method is RenditionMethod.Remux or RenditionMethod.Still || CopyVideo || VideoStream is null;

    public string MethodName => Method.ToString().ToLowerInvariant();
}
