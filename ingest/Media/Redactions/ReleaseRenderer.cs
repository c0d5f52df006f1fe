using Enforcement.Media.Ingest.Media.Derivatives;
using Enforcement.Media.Storage.Jobs;
using Enforcement.Media.Storage.Objects;

namespace Enforcement.Media.Ingest.Media.Redactions;

/// <summary>
/// Makes one object for release — a redacted output, a publication copy — by one ffmpeg run: opens the job's
/// work folder with its input exposed to ffmpeg (the recording's original, or another of its objects) and the
/// original's probe, lets the job plan the run from them, and stores the output write-once as an object of
/// kind <c>redacted</c> with its provenance (<see cref="DerivativeMaker"/>), checked as every release is
/// (<see cref="ReleaseArguments"/>).
/// </summary>
public sealed class ReleaseRenderer(MediaJobContexts contexts, DerivativeMaker maker)
{
    /// <param name="input">What ffmpeg reads; null for the original.</param>
    /// <param name="plan">The run, planned from the job's context.</param>
    /// <returns>The stored object, or why nothing could be made (an unplayable recording).</returns>
    public async Task<(Guid? ObjectId, string? Refusal)> RenderAsync(
        ClaimedJob job, Guid recordingId, MediaInput? input, Func<MediaJobContext, Task<ReleaseRun>> plan, CancellationToken cancellationToken)
    {
        using var context = await contexts.OpenAsync(job, recordingId, input, cancellationToken);
        if (context is null)
        {
            return (null, "The recording is unplayable.");
        }

        var run = await plan(context);
        var stored = await maker.MakeAsync(
            context,
            new FfmpegDerivative(
                run.Role,
                run.Method,
                ObjectKind.Redacted,
                ReleaseArguments.ContentType(run.Photo, run.Video),
                $"{run.Name}.{(run.Photo ? "jpg" : "mp4")}",
                run.Arguments,
                written => ReleaseArguments.Check(written, run.Photo, run.Video, run.Audio),
                run.RedactionId,
                run.RecordedAs),
            cancellationToken);
        return (stored.ObjectId, null);
    }
}
