using Enforcement.Media.Ingest.Media.Renditions;
using Enforcement.Media.Storage.Media;

namespace Enforcement.Media.Ingest.Media.Suggestions;

/// <summary>
/// What one run examines: the picture's stream at an upright size no wider than
/// <see cref="SuggestionOptions.FrameWidth"/>, once for a photo or every <see cref="SampleSeconds"/> of a video.
/// </summary>
/// <param name="DurationSeconds">Null when the container does not say: sampling then goes on until ffmpeg runs out of frames.</param>
public sealed record SamplePlan(int VideoStream, bool Photo, FrameSize Size, double SampleSeconds, double? DurationSeconds)
{
    /// <summary>Frames are read from ffmpeg this many bytes at a time (its output is held in memory).</summary>
    public const int ChunkBytes = 32 * 1024 * 1024;

    public int FrameBytes => Size.Width * Size.Height;

    /// <summary>Samples per ffmpeg run: as many as fit in <see cref="ChunkBytes"/>, so a long recording is read in a few dozen seeks.</summary>
    public int SamplesPerChunk => Math.Max(1, ChunkBytes / FrameBytes);

    /// <summary>The plan for a probed recording, or <see cref="SuggestionFailedException"/> saying why there is nothing to look at.</summary>
    public static SamplePlan For(ProbeResult probe, double sampleSeconds, SuggestionOptions options)
    {
        if (!probe.Playable)
        {
            throw new SuggestionFailedException($"The recording cannot be played, so there are no frames to look for faces in: {probe.UnplayableReason}");
        }

        if (probe.Probe.Video is not { } video || probe.Probe.Kind == MediaKind.Audio)
        {
            throw new SuggestionFailedException("The recording has no picture (audio only): there are no faces to look for.");
        }

        // ffmpeg turns rotated video upright before its filters, so the size asked of it is the upright one.
        var size = new FrameSize(video.DisplayWidth, video.DisplayHeight).FitWithin(Math.Max(2, options.FrameWidth), int.MaxValue);
        var photo = probe.Probe.Kind == MediaKind.Photo;
        return new SamplePlan(video.Index, photo, size, sampleSeconds, photo ? null : probe.Probe.DurationSeconds);
    }
}
