using Enforcement.Media.Ingest.Media.Derivatives;
using Enforcement.Media.Storage.Jobs;
using Enforcement.Media.Storage.Media;
using Enforcement.Media.Storage.Redactions;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Ingest.Media.Redactions;

/// <summary>
/// The <c>redaction</c> job: renders a queued redaction from the original through one ffmpeg run
/// (<see cref="RedactionFilterGraph"/>), stored write-once as a <c>redacted</c> object with the same
/// provenance as any derivative. A redaction that cannot be rendered — the recording is gone, unplayable
/// or quarantined, or ffmpeg refused — fails at once with the reason; an outage (store, catalogue) is
/// retried, and fails the redaction when the last attempt fails too, so it never stays 'rendering'.
/// </summary>
public sealed partial class RedactionJobHandler(
    RedactionStore redactions,
    RecordingStandings standings,
    MediaProbeStore probes,
    ReleaseRenderer renderer,
    IOptions<MediaOptions> options,
    ILogger<RedactionJobHandler> logger) : IJobHandler
{
    public string Kind => JobKinds.Redaction;

    public string Pool => JobPools.Media;

    public async Task HandleAsync(ClaimedJob job, CancellationToken cancellationToken)
    {
        var id = JobPayloads.Id(job, "redactionId");
        var redaction = await redactions.FindAsync(id, cancellationToken) ?? throw new InvalidOperationException($"Redaction {id} is not in the catalogue.");
        if (redaction.State is not (RedactionState.Queued or RedactionState.Rendering or RedactionState.Failed))
        {
            LogNothingToDo(id, redaction.State);
            return;
        }

        await redactions.MarkRenderingAsync(id, cancellationToken);
        var failure = await RenderAttempt.RunAsync(
            job, () => RenderAsync(job, redaction, cancellationToken), reason => redactions.MarkFinishedAsync(id, reason, CancellationToken.None), cancellationToken);
        await redactions.MarkFinishedAsync(id, failure, cancellationToken);
        if (failure is not null)
        {
            LogFailed(id, redaction.RecordingId, failure);
        }
    }

    private async Task<string?> RenderAsync(ClaimedJob job, RedactionRecord redaction, CancellationToken cancellationToken)
    {
        var standing = await standings.FindAsync(redaction.RecordingId, cancellationToken);
        var probe = await probes.FindAsync(redaction.RecordingId, cancellationToken);
        if (RedactionRefusals.Reason(standing, probe, redaction.Spec) is { } refusal)
        {
            return refusal;
        }

        var (_, refused) = await renderer.RenderAsync(job, redaction.RecordingId, null, context => PlanAsync(redaction, context, cancellationToken), cancellationToken);
        return refused;
    }

    private async Task<ReleaseRun> PlanAsync(RedactionRecord redaction, MediaJobContext context, CancellationToken cancellationToken)
    {
        var source = RedactionSource.Of(context.Probe.Probe);
        var graph = RedactionFilterGraph.Build(redaction.Spec, source);
        string? script = null;
        Dictionary<string, string>? recordedAs = null;
        if (graph.Text.Length > RedactionArguments.InlineGraphLimit)
        {
            // Run from a file, recorded as its text: the provenance holds the whole graph either way.
            script = context.Work.File("redaction.graph");
            await File.WriteAllTextAsync(script, graph.Text, cancellationToken);
            recordedAs = new(StringComparer.Ordinal) { ["-filter_complex_script"] = "-filter_complex", [script] = graph.Text };
        }

        LogRendering(redaction.Id, redaction.RecordingId, redaction.Spec.RegionList.Count, graph.Branches, graph.Text.Length);
        return new ReleaseRun(
            DerivationRole.Redacted,
            "redact",
            "redacted",
            source.IsPhoto,
            Video: graph.VideoMap is not null,
            Audio: graph.AudioMap is not null,
            (input, output) => RedactionArguments.Build(graph, source, options.Value, input, output, script),
            redaction.Id,
            recordedAs);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rendering redaction {RedactionId} of recording {RecordingId}: {Regions} regions in {Branches} branches, a graph of {GraphLength} characters")]
    private partial void LogRendering(Guid redactionId, Guid recordingId, int regions, int branches, int graphLength);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redaction {RedactionId} of recording {RecordingId} failed: {Reason}")]
    private partial void LogFailed(Guid redactionId, Guid recordingId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redaction {RedactionId} is {State}: nothing to render")]
    private partial void LogNothingToDo(Guid redactionId, string state);
}
