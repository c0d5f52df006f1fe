using Enforcement.Media.Storage.Media;

namespace Enforcement.Media.Ingest.Media.Renditions;

/// <summary>
/// Remux or transcode: video that is already H.264 8-bit 4:2:0, progressive, upright and no
/// larger than the maximum is copied; anything else — H.265 (10-bit too), MJPEG from older recorders,
/// other pixel formats, interlaced, rotated, oversized — is re-encoded to H.264 yuv420p. Audio that
/// is AAC is copied, other audio becomes AAC. A photo becomes one upright JPEG (<see cref="StillPlan"/>);
/// unplayable media gets no rendition.
/// </summary>
public static class RenditionPolicy
{
    private static readonly HashSet<string> BrowserPixelFormats = ["yuv420p", "yuvj420p"];

    public static RenditionPlan Plan(MediaProbe probe, MediaOptions options)
    {
        if (probe.Kind == MediaKind.Photo && probe.Video is { } still)
        {
            return StillPlan(still, options);
        }

        if (probe.Kind is MediaKind.Photo or MediaKind.Unknown)
        {
            return RenditionPlan.Nothing;
        }

        var reasons = new List<string>();
        var audio = probe.Audio;
        var copyAudio = audio is not null && audio.Codec == "aac";
        if (audio is not null && !copyAudio)
        {
            reasons.Add($"audio is {audio.Codec}, not AAC");
        }

        var downmix = audio is { Channels: > 2 } && !copyAudio;
        var video = probe.Kind == MediaKind.Video ? probe.Video : null;
        if (video is null)
        {
            return new RenditionPlan(copyAudio ? RenditionMethod.Remux : RenditionMethod.Transcode, null, audio?.Index, false, copyAudio, null, false, downmix, reasons);
        }

        var box = MaxBox(video, options);
        var upright = new FrameSize(video.DisplayWidth, video.DisplayHeight);
        var videoReasons = new List<string>();
        if (video.Codec != "h264")
        {
            videoReasons.Add($"video is {video.Codec}, not H.264");
        }

        if (video.PixelFormat is null || !BrowserPixelFormats.Contains(video.PixelFormat) || video.BitDepth is not (null or 8))
        {
            videoReasons.Add($"pixel format is {video.PixelFormat ?? "unknown"}, not 8-bit 4:2:0");
        }

        if (video.Interlaced)
        {
            videoReasons.Add($"video is interlaced ({video.FieldOrder})");
        }

        if (video.Rotation != 0)
        {
            // Re-encoded upright, so every viewer — browser, canvas, export — shows the same picture.
            videoReasons.Add($"video is stored rotated by {video.Rotation}°");
        }

        if (upright.Width <= 0 || upright.Height <= 0)
        {
            videoReasons.Add("video size is unknown");
        }
        else if (upright.Width > box.Width || upright.Height > box.Height)
        {
            videoReasons.Add($"video is {upright}, larger than {box}");
        }

        reasons.InsertRange(0, videoReasons);
        var copyVideo = videoReasons.Count == 0;
        FrameSize? size = copyVideo || upright.Width <= 0 || upright.Height <= 0 ? null : upright.FitWithin(box.Width, box.Height);
        var method = copyVideo && (audio is null || copyAudio) ? RenditionMethod.Remux : RenditionMethod.Transcode;
        return new RenditionPlan(method, video.Index, audio?.Index, copyVideo, copyAudio, size, !copyVideo && video.Interlaced, downmix, reasons);
    }

    /// <summary>
    /// A photo is always re-encoded, even a JPEG that could be served as it is: the copy a reviewer sees is
    /// the picture ffmpeg turns upright (its orientation applied, as redactions of it are rendered), with
    /// none of the original's EXIF — GPS position, device, owner — which the recording page shows anyway.
    /// </summary>
    private static RenditionPlan StillPlan(VideoStreamInfo still, MediaOptions options)
    {
        var upright = new FrameSize(still.DisplayWidth, still.DisplayHeight);
        var longest = Math.Max(16, options.PhotoMaxSide);
        List<string> reasons = [$"a photo ({still.Codec}): shown as an upright JPEG without its metadata"];
        FrameSize? size = null;
        if (upright.Width > longest || upright.Height > longest)
        {
            size = upright.FitWithin(longest, longest);
            reasons.Add($"{upright} is larger than {longest} px on its long side");
        }

        return new RenditionPlan(RenditionMethod.Still, still.Index, null, false, false, size, false, false, reasons);
    }

    /// <summary>The largest upright size allowed: <c>MaxLines</c> on the short side, 16/9 of it on the long one.</summary>
    public static FrameSize MaxBox(VideoStreamInfo video, MediaOptions options)
    {
        var shortSide = Math.Max(2, options.MaxLines);
        var longSide = (int)Math.Round(shortSide * 16 / 9.0, MidpointRounding.AwayFromZero);
        return video.DisplayWidth >= video.DisplayHeight ? new FrameSize(longSide, shortSide) : new FrameSize(shortSide, longSide);
    }
}
