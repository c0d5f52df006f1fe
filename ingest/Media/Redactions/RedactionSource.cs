using Enforcement.Media.Storage.Media;

namespace Enforcement.Media.Ingest.Media.Redactions;

/// <summary>
/// What a redaction is drawn onto, as the probe found the original: the streams to read, the upright
/// picture (ffmpeg turns rotated video upright before any filter, so regions, which are fractions of
/// the upright picture, are placed on that), rounded down to even pixels for 4:2:0.
/// </summary>
public sealed record RedactionSource(
    MediaKind Kind,
    int? VideoStream,
    int? AudioStream,
    int Width,
    int Height,
    double? DurationSeconds,
    double? FramesPerSecond,
    int? SampleRate,
    bool Interlaced)
{
    public static RedactionSource Of(MediaProbe probe)
    {
        var video = probe.Video;
        return new RedactionSource(
            probe.Kind,
            video?.Index,
            probe.Kind == MediaKind.Photo ? null : probe.Audio?.Index,
            video is null ? 0 : Math.Max(2, video.DisplayWidth & ~1),
            video is null ? 0 : Math.Max(2, video.DisplayHeight & ~1),
            probe.DurationSeconds,
            video?.FramesPerSecond,
            probe.Audio?.SampleRate,
            video?.Interlaced ?? false);
    }

    public bool IsPhoto => Kind == MediaKind.Photo;

    /// <summary>
    /// How long one frame is shown, at most a second: a frame is blurred when it starts up to this long
    /// before a range, since it is still on screen when the range begins.
    /// </summary>
    public double FrameSeconds => FramesPerSecond is > 1 and < 1000 ? 1 / FramesPerSecond.Value : 1;
}
