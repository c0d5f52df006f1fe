using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Enforcement.Media.Ingest.Media.Derivatives;
using Enforcement.Media.Ingest.Media.Tools;
using Enforcement.Media.Storage.Jobs;
using Enforcement.Media.Storage.Media;
using Enforcement.Media.Storage.Redactions;
using Microsoft.Extensions.Options;
using OpenCvSharp;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Enforcement.Media.Ingest.Media.Suggestions;

/// <summary>
/// Looks for faces in a recording's original: ffmpeg reads it through the loopback server and writes
/// sampled frames, upright, scaled and grey, to its stdout a chunk at a time; the cascades look at each
/// frame; the tracker joins the faces of consecutive samples. Nothing is written to disk.
/// </summary>
public sealed partial class FaceSuggester(
    MediaJobContexts contexts,
    MediaProbeStore probes,
    IMediaToolRunner runner,
    IOptions<MediaOptions> media,
    IOptions<SuggestionOptions> options,
    ILogger<FaceSuggester> logger)
{
    /// <summary>What a run records as its detector.</summary>
    public string Detector => new FaceCascades(options.Value).Describe();

    /// <summary>
    /// Throws <see cref="SuggestionFailedException"/> when the run cannot succeed (no picture, unplayable,
    /// a cascade missing, frames ffmpeg cannot decode); anything else is worth another attempt.
    /// </summary>
    public async Task<FaceSuggestions> FindAsync(ClaimedJob job, SuggestionRun run, CancellationToken cancellationToken)
    {
        var probe = await probes.FindAsync(run.RecordingId, cancellationToken)
            ?? throw new InvalidOperationException($"Recording {run.RecordingId} has not been probed yet; its suggestions wait for the probe.");
        var plan = SamplePlan.For(probe, run.SampleSeconds, options.Value);
        using var detector = new FaceCascades(options.Value).Load();
        using var context = await contexts.OpenAsync(job, cancellationToken)
            ?? throw new SuggestionFailedException("The recording cannot be played, so there are no frames to look for faces in.");

        LogStarted(run.Id, run.RecordingId, plan.Photo, plan.Size.Width, plan.Size.Height, plan.SampleSeconds);
        var started = Stopwatch.GetTimestamp();
        var tracker = new FaceTracker();
        var examined = 0;
        await foreach (var chunk in ChunksAsync(context, plan, cancellationToken))
        {
            for (var i = 0; i < chunk.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var sample = chunk.FirstSample + i;
                tracker.Add(sample, sample * plan.SampleSeconds, Detect(detector, chunk.Pixels, i, plan));
                examined++;
            }
        }

        if (examined == 0)
        {
            throw new SuggestionFailedException("ffmpeg found no frame to examine in the recording's picture.");
        }

        var findings = tracker.Tracks().SelectMany(t => TrackKeyframes.Findings(t, plan)).ToList();
        var elapsed = Stopwatch.GetElapsedTime(started);
        LogFound(run.Id, examined, findings.Count, elapsed.TotalMilliseconds);
        return new FaceSuggestions(examined, findings);
    }

    private static IReadOnlyList<Rect> Detect(FaceDetector detector, byte[] pixels, int index, SamplePlan plan)
    {
        using var frame = new Mat(plan.Size.Height, plan.Size.Width, MatType.CV_8UC1);
        Marshal.Copy(pixels, index * plan.FrameBytes, frame.Data, plan.FrameBytes);
        return detector.Detect(frame);
    }

    /// <summary>
    /// The sampled frames, one ffmpeg run per chunk: until the probed duration is covered, or, when the
    /// container gave none, until a chunk comes back short.
    /// </summary>
    private async IAsyncEnumerable<FrameChunk> ChunksAsync(
        MediaJobContext context, SamplePlan plan, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var url = context.Source.Uri.ToString();
        if (plan.Photo)
        {
            yield return await ChunkAsync(context, SampleArguments.Photo(media.Value, url, plan), plan, 0, 1, cancellationToken);
            yield break;
        }

        for (var first = 0; ; first += plan.SamplesPerChunk)
        {
            var start = first * plan.SampleSeconds;
            if (plan.DurationSeconds is { } duration && start >= duration)
            {
                yield break;
            }

            var chunk = await ChunkAsync(
                context, SampleArguments.Chunk(media.Value, url, plan, start, plan.SamplesPerChunk), plan, first, plan.SamplesPerChunk, cancellationToken);
            if (chunk.Count > 0)
            {
                yield return chunk;
            }

            if (chunk.Count < plan.SamplesPerChunk && plan.DurationSeconds is null)
            {
                yield break;
            }
        }
    }

    private async Task<FrameChunk> ChunkAsync(
        MediaJobContext context, IReadOnlyList<string> arguments, SamplePlan plan, int firstSample, int asked, CancellationToken cancellationToken)
    {
        MediaToolResult result;
        try
        {
            result = await runner.RunAsync(MediaTool.Ffmpeg, arguments, cancellationToken);
        }
        catch (MediaToolException ex)
        {
            // A store outage while ffmpeg read is not the recording's fault: retried, not failed.
            context.Source.ThrowIfSourceFailed();
            var reason = ex.Reason.Replace(context.Source.Uri.ToString(), "the original", StringComparison.Ordinal);
            throw new SuggestionFailedException(string.Create(
                CultureInfo.InvariantCulture, $"ffmpeg could not decode the picture from {firstSample * plan.SampleSeconds:0.###} s on: {reason}"));
        }

        context.Source.ThrowIfSourceFailed();

        // A frame short at the very end (ffmpeg stopped mid-frame) is not a frame.
        var count = Math.Min(asked, result.StandardOutput.Length / plan.FrameBytes);
        return new FrameChunk(firstSample, result.StandardOutput, count);
    }

    private readonly record struct FrameChunk(int FirstSample, byte[] Pixels, int Count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Looking for faces in {RecordingId} for run {RunId} (photo: {Photo}) at {Width}x{Height}, every {SampleSeconds} s")]
    private partial void LogStarted(Guid runId, Guid recordingId, bool photo, int width, int height, double sampleSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} examined {FramesExamined} frames and offers {Suggestions} suggestions ({ElapsedMs:F0} ms)")]
    private partial void LogFound(Guid runId, int framesExamined, int suggestions, double elapsedMs);
}
