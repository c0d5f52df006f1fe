using System.Globalization;
using System.Reflection;
using System.Text;
using Enforcement.Media.Ingest.Media.Derivatives;
using Enforcement.Media.Ingest.Media.Renditions;
using Enforcement.Media.Storage.Jobs;
using Enforcement.Media.Storage.Media;
using Enforcement.Media.Storage.Objects;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Ingest.Media.Thumbnails;

/// <summary>
/// The <c>thumbnails</c> job: a poster for every playable recording (a frame, the photo scaled, or an
/// audio waveform) and, for video, a scrubbing sprite sheet with its WebVTT thumbnails track. Each is
/// its own write-once object with provenance. Runs in the media pool.
/// </summary>
public sealed class ThumbnailsJobHandler(
    MediaJobContexts contexts,
    DerivationStore derivations,
    DerivativeMaker maker,
    DerivativeWriter writer,
    IOptions<MediaOptions> options,
    TimeProvider time) : IJobHandler
{
    public const string PosterName = "poster.jpg";

    /// <summary>The WebVTT cues name the sheet by this relative URL: the player serves both side by side.</summary>
    public const string SpriteName = "sprite.jpg";

    public const string TrackName = "sprite.vtt";

    private static readonly string ServiceVersion =
        typeof(ThumbnailsJobHandler).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public string Kind => MediaJobs.Thumbnails;

    public string Pool => JobPools.Media;

    public async Task HandleAsync(ClaimedJob job, CancellationToken cancellationToken)
    {
        using var context = await contexts.OpenAsync(job, cancellationToken);
        if (context is null)
        {
            return;
        }

        var plan = ThumbnailPlan.For(context.Probe.Probe, options.Value);
        if (plan.PosterMethod is null || plan.Stream is not { } stream)
        {
            return;
        }

        // Each thumbnail is tried even when another failed (a damaged file may still give a poster); the
        // failures are already in the provenance, and the first is thrown so the job is retried.
        var failures = new List<DerivativeFailedException>();
        if (await NeededAsync(context, DerivationRole.Poster, cancellationToken))
        {
            await AttemptAsync(() => PosterAsync(context, plan, stream, cancellationToken), failures);
        }

        if (plan.Sprite is { } layout)
        {
            var sheetReady = !await NeededAsync(context, DerivationRole.SpriteSheet, cancellationToken)
                || await AttemptAsync(() => maker.MakeAsync(context, Sheet(layout, stream), cancellationToken), failures);
            if (sheetReady && await NeededAsync(context, DerivationRole.SpriteTrack, cancellationToken))
            {
                await TrackAsync(context, layout, cancellationToken);
            }
        }

        if (failures.Count > 0)
        {
            throw failures[0];
        }
    }

    private static async Task<bool> AttemptAsync(Func<Task> make, List<DerivativeFailedException> failures)
    {
        try
        {
            await make();
            return true;
        }
        catch (DerivativeFailedException ex)
        {
            failures.Add(ex);
            return false;
        }
    }

    private async Task<bool> NeededAsync(MediaJobContext context, DerivationRole role, CancellationToken cancellationToken) =>
        context.Remake || !await derivations.HasSucceededAsync(context.Original.RecordingId, role, cancellationToken);

    private async Task PosterAsync(MediaJobContext context, ThumbnailPlan plan, int stream, CancellationToken cancellationToken)
    {
        try
        {
            await maker.MakeAsync(context, Poster(plan, stream, plan.PosterAtSeconds), cancellationToken);
        }
        catch (DerivativeFailedException) when (plan.PosterMethod == ThumbnailPlan.Frame && plan.PosterAtSeconds > 0)
        {
            // No decodable frame there (a damaged or shorter-than-declared file): the first frame will do.
            // The failed attempt stays in the provenance.
            await maker.MakeAsync(context, Poster(plan, stream, 0), cancellationToken);
        }
    }

    private FfmpegDerivative Poster(ThumbnailPlan plan, int stream, double atSeconds)
    {
        var media = options.Value;
        return new FfmpegDerivative(
            DerivationRole.Poster,
            plan.PosterMethod!,
            ObjectKind.Thumbnail,
            "image/jpeg",
            PosterName,
            plan.PosterMethod switch
            {
                ThumbnailPlan.Waveform => (input, output) => ThumbnailArguments.Waveform(media, input, stream, plan.PosterSize, output),
                ThumbnailPlan.Photo => (input, output) => ThumbnailArguments.PhotoPoster(media, input, stream, plan.PosterSize, output),
                _ => (input, output) => ThumbnailArguments.VideoPoster(media, input, stream, atSeconds, plan.PosterSize, output),
            },
            written => ImageCheck(written, plan.PosterSize));
    }

    private FfmpegDerivative Sheet(SpriteLayout layout, int stream) => new(
        DerivationRole.SpriteSheet,
        options.Value.SpriteKeyframesOnly ? "keyframes" : "frames",
        ObjectKind.Sprite,
        "image/jpeg",
        SpriteName,
        (input, output) => ThumbnailArguments.Sprite(options.Value, input, stream, layout, output),
        written => ImageCheck(written, layout.Sheet));

    /// <summary>The track is written by this service from the layout, not by ffmpeg; its provenance says so.</summary>
    private async Task TrackAsync(MediaJobContext context, SpriteLayout layout, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        var path = context.Work.File(TrackName);
        await File.WriteAllTextAsync(path, layout.ToWebVtt(SpriteName), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), cancellationToken);
        string[] arguments =
        [
            "webvtt-thumbnails",
            $"sheet={SpriteName}",
            $"interval={layout.IntervalSeconds}",
            $"tiles={layout.Count}",
            $"columns={layout.Columns}",
            $"tile={layout.Tile}",
            string.Create(CultureInfo.InvariantCulture, $"duration={layout.DurationSeconds}"),
        ];
        var run = new DerivationRun("enforcement-media", ServiceVersion, arguments, started, time.GetUtcNow(), null, context.JobId);
        await writer.StoreAsync(
            context.Original,
            new DerivativeOutput(DerivationRole.SpriteTrack, "webvtt", ObjectKind.Sprite, "text/vtt", path, null, null, layout.DurationSeconds),
            run,
            cancellationToken);
    }

    private static string? ImageCheck(MediaProbe written, FrameSize expected) =>
        written.Video is { Codec: "mjpeg" } image && image.Width == expected.Width && image.Height == expected.Height
            ? null
            : $"expected a {expected} JPEG, ffmpeg wrote {written.Video?.Codec ?? "no image"} {written.Video?.Width}x{written.Video?.Height}";
}
