using Enforcement.Media.Ingest.Media.Derivatives;
using Enforcement.Media.Storage.Jobs;
using Enforcement.Media.Storage.Media;
using Enforcement.Media.Storage.Objects;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Ingest.Media.Renditions;

/// <summary>
/// The <c>rendition</c> job: the playback MP4 of a probed recording (a photo's: one JPEG), remuxed or transcoded per
/// <see cref="RenditionPolicy"/>, checked with ffprobe, stored write-once beside its original.
/// Runs in the media pool (at most cores − 1 ffmpeg processes at once).
/// </summary>
public sealed partial class RenditionJobHandler(
    MediaJobContexts contexts,
    DerivationStore derivations,
    DerivativeMaker maker,
    IOptions<MediaOptions> options,
    ILogger<RenditionJobHandler> logger) : IJobHandler
{
    public const string OutputName = "playback.mp4";

    public const string StillOutputName = "playback.jpg";

    public string Kind => MediaJobs.Rendition;

    public string Pool => JobPools.Media;

    public async Task HandleAsync(ClaimedJob job, CancellationToken cancellationToken)
    {
        using var context = await contexts.OpenAsync(job, cancellationToken);
        if (context is null)
        {
            return;
        }

        var recordingId = context.Original.RecordingId;
        if (!context.Remake && await derivations.HasSucceededAsync(recordingId, DerivationRole.Playback, cancellationToken))
        {
            return;
        }

        var plan = RenditionPolicy.Plan(context.Probe.Probe, options.Value);
        if (plan.Method == RenditionMethod.None)
        {
            return;
        }

        var reasons = plan.Reasons.Count == 0 ? "copied as it is" : string.Join("; ", plan.Reasons);
        LogPlanned(recordingId, plan.MethodName, reasons);
        await maker.MakeAsync(
            context,
            new FfmpegDerivative(
                DerivationRole.Playback,
                plan.MethodName,
                ObjectKind.Rendition,
                plan.Method == RenditionMethod.Still ? "image/jpeg" : plan.VideoStream is null ? "audio/mp4" : "video/mp4",
                plan.Method == RenditionMethod.Still ? StillOutputName : OutputName,
                (input, output) => RenditionArguments.Build(plan, options.Value, input, output),
                written => Check(plan, written)),
            cancellationToken);
    }

    /// <summary>What the player needs: an MP4 with H.264 4:2:0 video and AAC audio where the plan said so.</summary>
    public static string? Check(RenditionPlan plan, MediaProbe written)
    {
        if (plan.Method == RenditionMethod.Still)
        {
            return written.Video is { Codec: "mjpeg" } ? null : $"the photo's copy is {written.Video?.Codec ?? "no picture"}, not a JPEG";
        }

        if (written.FormatName is null || !written.FormatName.Contains("mp4", StringComparison.Ordinal))
        {
            return $"the rendition is {written.FormatName ?? "of no known format"}, not MP4";
        }

        if (plan.VideoStream is not null && written.Video is not { Codec: "h264", PixelFormat: "yuv420p" or "yuvj420p" })
        {
            return $"the rendition's video is {written.Video?.Codec ?? "missing"} {written.Video?.PixelFormat}, not H.264 4:2:0";
        }

        if (plan.AudioStream is not null && written.Audio is not { Codec: "aac" })
        {
            return $"the rendition's audio is {written.Audio?.Codec ?? "missing"}, not AAC";
        }

        return written.DurationSeconds is > 0 ? null : "the rendition has no duration";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Making the playback rendition of {RecordingId} by {Method} ({Reasons})")]
    private partial void LogPlanned(Guid recordingId, string method, string reasons);
}
