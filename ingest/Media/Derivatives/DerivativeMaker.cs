using Enforcement.Media.Ingest.Media.Probing;
using Enforcement.Media.Ingest.Media.Tools;
using Enforcement.Media.Storage.Media;

namespace Enforcement.Media.Ingest.Media.Derivatives;

/// <summary>
/// Runs ffmpeg for one derivative and keeps its provenance: ffmpeg reads the original through the
/// loopback server and writes to the job's work folder (never to memory); the output is read back with
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
        var recorded = Recorded(arguments, url, output, derivative.OutputName, context.Original.Sha256.Hex);
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
            throw await FailAsync(context, derivative, Run(version, recorded, started, tail), tail, cancellationToken);
        }

        context.Source.ThrowIfSourceFailed();
        var run = Run(version, recorded, started, messages.Length > 0 ? Redact(messages, url) : null);
        if (!File.Exists(output) || new FileInfo(output).Length == 0)
        {
            throw await FailAsync(context, derivative, run, $"ffmpeg finished but wrote nothing{Detail(run.Messages)}", cancellationToken);
        }

        MediaProbe written;
        try
        {
            written = await ffprobe.ProbeFileAsync(output, cancellationToken);
        }
        catch (MediaToolException ex)
        {
            throw await FailAsync(context, derivative, run, $"ffprobe cannot read what ffmpeg wrote: {ex.Reason}{Detail(run.Messages)}", cancellationToken);
        }

        if (derivative.Check(written) is { } problem)
        {
            throw await FailAsync(context, derivative, run, $"{problem}{Detail(run.Messages)}", cancellationToken);
        }

        var stored = new DerivativeOutput(
            derivative.Role, derivative.Method, derivative.Kind, derivative.ContentType, output,
            written.Video?.DisplayWidth, written.Video?.DisplayHeight, written.Kind == MediaKind.Photo ? null : written.DurationSeconds);
        return await writer.StoreAsync(context.Original, stored, run, cancellationToken);

        DerivationRun Run(string toolVersion, IReadOnlyList<string> args, DateTimeOffset startedAt, string? tail) =>
            new("ffmpeg", toolVersion, args, startedAt, time.GetUtcNow(), tail, context.JobId);
    }

    /// <summary>
    /// The arguments as provenance: the short-lived loopback address becomes <c>original:sha256:&lt;hex&gt;</c>
    /// and the work-folder path the bare file name — what someone re-making it needs, nothing that expired.
    /// </summary>
    public static IReadOnlyList<string> Recorded(IReadOnlyList<string> arguments, string url, string output, string outputName, string sha256Hex) =>
        [.. arguments.Select(a => a == url ? $"original:sha256:{sha256Hex}" : a == output ? outputName : a)];

    private async Task<DerivativeFailedException> FailAsync(MediaJobContext context, FfmpegDerivative derivative, DerivationRun run, string reason, CancellationToken cancellationToken)
    {
        await writer.RecordFailureAsync(context.Original, derivative.Role, derivative.Method, run, reason, cancellationToken);
        return new DerivativeFailedException(context.Original.RecordingId, derivative.Role, reason);
    }

    private static string Redact(string text, string url) => text.Replace(url, Ffprobe.OriginalPlaceholder, StringComparison.Ordinal);

    private static string Detail(string? messages) => messages is null ? string.Empty : $"\n{messages}";
}
