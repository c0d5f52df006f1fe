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
        if (probe is { Kind: MediaKind.Photo, Video: { } still })
        {
            probe = probe with { Video = still with { Rotation = await StillRotationAsync(url, cancellationToken) } };
            source.ThrowIfSourceFailed();
        }

        return new ProbeResult(probe, FfprobeParser.UnplayableReason(probe), json, warnings.Length > 0 ? warnings : null, version);
    }

    /// <summary>
    /// A photo's orientation, which ffprobe shows only on its decoded frame (<see cref="FfprobeParser.FrameRotation"/>):
    /// without it a phone's portrait photo would be taken for a landscape one, and a redaction drawn on the
    /// upright picture would be placed on a picture of the other shape.
    /// </summary>
    private async Task<int> StillRotationAsync(string url, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(
            MediaTool.Ffprobe,
            [
                "-hide_banner", "-v", "error",
                "-format_whitelist", options.Value.InputFormats,
                "-select_streams", "v:0", "-read_intervals", "%+#1", "-show_frames", "-show_entries", "frame=side_data_list",
                "-print_format", "json", url,
            ],
            cancellationToken);
        return FfprobeParser.FrameRotation(Encoding.UTF8.GetString(result.StandardOutput)) ?? 0;
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
