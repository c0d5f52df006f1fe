using System.Text;
using Enforcement.Media.Ingest.Media.Sources;
using Enforcement.Media.Ingest.Media.Tools;
using Enforcement.Media.Storage.Media;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Ingest.Media.Probing;

/// <summary>
/// Probes media with <c>ffprobe -show_format -show_streams</c> as JSON. A file ffprobe cannot read is a
/// result (unplayable, with ffprobe's reason), not an error; a store that failed while ffprobe read
/// is an error (<see cref="MediaSourceException"/>), so it is retried instead of blamed on the file.
/// Run through <see cref="IMediaToolRunner"/> like ffmpeg, not FFMpegCore's <c>FFProbe.AnalyseAsync</c>
/// (see <see cref="FfmpegToolRunner"/>), with the arguments the parser's fixtures are recorded with
/// (<c>tests/Fixtures/ffprobe/record.sh</c>).
/// </summary>
public sealed class Ffprobe(IMediaToolRunner runner, IOptions<MediaOptions> options)
{
    /// <summary>How the original is named in stored reasons and JSON instead of its short-lived loopback address.</summary>
    public const string OriginalPlaceholder = "original";

    public async Task<ProbeResult> ProbeAsync(ExposedObject source, CancellationToken cancellationToken)
    {
        var version = await runner.GetVersionAsync(MediaTool.Ffprobe, cancellationToken);
        var url = source.Uri.ToString();
        string[] arguments =
        [
            "-hide_banner", "-v", "error",
            "-format_whitelist", options.Value.InputFormats,
            "-print_format", "json", "-show_format", "-show_streams",
            url,
        ];

        MediaToolResult result;
        try
        {
            result = await runner.RunAsync(MediaTool.Ffprobe, arguments, cancellationToken);
        }
        catch (MediaToolException ex)
        {
            source.ThrowIfSourceFailed();
            return new ProbeResult(MediaProbe.Unreadable, ex.Reason.Replace(url, OriginalPlaceholder, StringComparison.Ordinal), null, null, version);
        }

        source.ThrowIfSourceFailed();
        var json = Encoding.UTF8.GetString(result.StandardOutput).Replace(url, OriginalPlaceholder, StringComparison.Ordinal);
        var probe = FfprobeParser.Parse(json);
        var warnings = result.StandardErrorTail.Replace(url, OriginalPlaceholder, StringComparison.Ordinal);
        return new ProbeResult(probe, FfprobeParser.UnplayableReason(probe), json, warnings.Length > 0 ? warnings : null, version);
    }

    /// <summary>
    /// Reads back a file this service just made (a rendition, a poster), to check it is what was asked
    /// for. Throws <see cref="MediaToolException"/> when ffprobe cannot read it.
    /// </summary>
    public async Task<MediaProbe> ProbeFileAsync(string path, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(
            MediaTool.Ffprobe,
            ["-hide_banner", "-v", "error", "-print_format", "json", "-show_format", "-show_streams", path],
            cancellationToken);
        return FfprobeParser.Parse(Encoding.UTF8.GetString(result.StandardOutput));
    }
}
