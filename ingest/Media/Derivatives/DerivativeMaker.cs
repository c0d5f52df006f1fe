using Enforcement.Media.Ingest.Media.Probing;
using Enforcement.Media.Ingest.Media.Tools;
using Enforcement.Media.Storage.Media;

namespace Enforcement.Media.Ingest.Media.Derivatives;

/// <summary>
/// Runs ffmpeg for one derivative and keeps its provenance: ffmpeg reads the original (or the job's
/// other input) through the loopback server and writes to the job's work folder (never to memory); the output is read back with
/// ffprobe and checked; then it is stored and catalogued. Any failure is recorded with ffmpeg's own
/// words before <see cref="DerivativeFailedException"/> is thrown; a store failure while ffmpeg read is
/// not the file's fault and is thrown as it is, to be retried.
/// </summary>
public sealed class DerivativeMaker(IMediaToolRunner runner, Ffprobe ffprobe, DerivativeWriter writer, TimeProvider time)
{
    public async Task<StoredDerivative> MakeAsync(MediaJobContext context, FfmpegDerivative derivative, CancellationToken cancellationToken)
    {
        var url = context.Source.Uri.ToString();
        var output = context.Work.File(derivative.OutputName);
        var arguments = derivative.Arguments(url, output);
        var recorded = Recorded(arguments, Replacements(derivative, url, output, context.Input));
        var lineage = new DerivativeLineage(derivative.RedactionId, context.Input.ObjectId, context.Input.ObjectId is null ? null : context.Input.Sha256);
        var version = await runner.GetVersionAsync(MediaTool.Ffmpeg, cancellationToken);

        var started = time.GetUtcNow();
        string messages;
        try
        {
            messages = (await runner.RunAsync(MediaTool.Ffmpeg, arguments, cancellationToken)).StandardErrorTail;
        }
        catch (MediaToolException ex)
        {
            context.Source.ThrowIfSourceFailed();
            var tail = Redact(ex.Reason, url);
            throw await FailAsync(context, derivative, lineage, Run(version, recorded, started, tail), tail, cancellationToken);
        }

        context.Source.ThrowIfSourceFailed();
        var run = Run(version, recorded, started, messages.Length > 0 ? Redact(messages, url) : null);
        if (!File.Exists(output) || new FileInfo(output).Length == 0)
        {
            throw await FailAsync(context, derivative, lineage, run, $"ffmpeg finished but wrote nothing{Detail(run.Messages)}", cancellationToken);
        }

        MediaProbe written;
        try
        {
            written = await ffprobe.ProbeFileAsync(output, cancellationToken);
        }
        catch (MediaToolException ex)
        {
            throw await FailAsync(context, derivative, lineage, run, $"ffprobe cannot read what ffmpeg wrote: {ex.Reason}{Detail(run.Messages)}", cancellationToken);
        }

        if (derivative.Check(written) is { } problem)
        {
            throw await FailAsync(context, derivative, lineage, run, $"{problem}{Detail(run.Messages)}", cancellationToken);
        }

        var stored = new DerivativeOutput(
            derivative.Role, derivative.Method, derivative.Kind, derivative.ContentType, output,
            written.Video?.DisplayWidth, written.Video?.DisplayHeight, written.Kind == MediaKind.Photo ? null : written.DurationSeconds, lineage);
        return await writer.StoreAsync(context.Original, stored, run, cancellationToken);

        DerivationRun Run(string toolVersion, IReadOnlyList<string> args, DateTimeOffset startedAt, string? tail) =>
            new("ffmpeg", toolVersion, args, startedAt, time.GetUtcNow(), tail, context.JobId);
    }

    /// <summary>
    /// The arguments as provenance: the short-lived loopback address becomes <c>original:sha256:&lt;hex&gt;</c>
    /// and the work-folder path the bare file name — what someone re-making it needs, nothing that expired.
    /// </summary>
    public static IReadOnlyList<string> Recorded(IReadOnlyList<string> arguments, string url, string output, string outputName, string sha256Hex) =>
        Recorded(arguments, new Dictionary<string, string>(StringComparer.Ordinal) { [url] = $"original:sha256:{sha256Hex}", [output] = outputName });

    /// <summary>Each argument equal to a key written as its value; the rest as run.</summary>
    public static IReadOnlyList<string> Recorded(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> replacements) =>
        [.. arguments.Select(a => replacements.TryGetValue(a, out var recorded) ? recorded : a)];

    private static Dictionary<string, string> Replacements(FfmpegDerivative derivative, string url, string output, MediaInput input) =>
        new(derivative.RecordedAs ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [url] = input.Placeholder,
            [output] = derivative.OutputName,
        };

    private async Task<DerivativeFailedException> FailAsync(
        MediaJobContext context, FfmpegDerivative derivative, DerivativeLineage lineage, DerivationRun run, string reason, CancellationToken cancellationToken)
    {
        await writer.RecordFailureAsync(context.Original, derivative.Role, derivative.Method, run, reason, lineage, cancellationToken);
        return new DerivativeFailedException(context.Original.RecordingId, derivative.Role, reason);
    }

    private static string Redact(string text, string url) => text.Replace(url, Ffprobe.OriginalPlaceholder, StringComparison.Ordinal);

    private static string Detail(string? messages) => messages is null ? string.Empty : $"\n{messages}";
}
