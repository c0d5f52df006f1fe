using Enforcement.Media.Ingest.Media.Renditions;
using Enforcement.Media.Storage.Media;

namespace Enforcement.Media.Ingest.Media.Thumbnails;

/// <summary>
/// What thumbnails a recording gets: video a poster frame and a scrubbing sprite; a photo a scaled poster;
/// audio a waveform poster. <see cref="PosterMethod"/> is null when there is nothing to show.
/// </summary>
public sealed record ThumbnailPlan(string? PosterMethod, int? Stream, double PosterAtSeconds, FrameSize PosterSize, SpriteLayout? Sprite)
{
    public const string Frame = "frame";
    public const string Photo = "photo";
    public const string Waveform = "waveform";

    /// <summary>Body-worn footage often starts dark or moving; a tenth in (at most 10 s) is a more telling frame.</summary>
    public static double PosterTime(double? durationSeconds) => durationSeconds is > 0 and var d ? Math.Min(d * 0.1, 10) : 0;

    public static ThumbnailPlan For(MediaProbe probe, MediaOptions options)
    {
        var square = Math.Max(16, options.PosterMaxSize);
        switch (probe.Kind)
        {
            case MediaKind.Video when probe.Video is { DisplayWidth: > 0, DisplayHeight: > 0 } video:
                var upright = new FrameSize(video.DisplayWidth, video.DisplayHeight);
                var sprite = probe.DurationSeconds is > 0 and var duration ? SpriteLayout.For(duration, upright, options) : null;
                return new ThumbnailPlan(Frame, video.Index, PosterTime(probe.DurationSeconds), upright.FitWithin(square, square), sprite);
            case MediaKind.Photo when probe.Video is { DisplayWidth: > 0, DisplayHeight: > 0 } photo:
                return new ThumbnailPlan(Photo, photo.Index, 0, new FrameSize(photo.DisplayWidth, photo.DisplayHeight).FitWithin(square, square), null);
            case MediaKind.Audio when probe.Audio is { } audio:
                return new ThumbnailPlan(Waveform, audio.Index, 0, new FrameSize(square, Math.Max(16, square / 4) / 2 * 2), null);
            default:
                return new ThumbnailPlan(null, null, 0, default, null);
        }
    }
}
