using System.Globalization;
using Enforcement.Media.Storage.Media;

namespace Enforcement.Media.Ingest.Media.Redactions;

/// <summary>
/// What redacted outputs and their publication copies have in common: H.264 4:2:0 + AAC in MP4 with
/// the index first (a photo: one JPEG), nothing of the original's metadata (no tags — GPS position,
/// device, times —, no chapters, no data or subtitle streams: only the mapped picture and sound), and
/// settings that make the same input and graph give the same bytes again.
/// </summary>
public static class ReleaseArguments
{
    /// <summary>
    /// x264's output depends on its thread count, and its default follows the machine's cores. A fixed
    /// count makes the recorded arguments give the same bytes on any machine with the same ffmpeg build.
    /// </summary>
    public const int EncoderThreads = 4;

    /// <summary>
    /// x264's "deterministic" default does not cover its asynchronous lookahead thread: on a loaded
    /// machine the frame-type decisions it makes depend on how far ahead it had read, and about one render
    /// in three of the same input and graph gave other bytes (Debian 12's ffmpeg 5.1 / x264 164, two
    /// busy cores). With the lookahead synchronous, sixty renders under the same load gave one result.
    /// </summary>
    public const string X264Params = "sync-lookahead=0";

    public static string[] Input(MediaOptions options, string input) =>
        ["-hide_banner", "-nostats", "-v", "warning", "-format_whitelist", options.InputFormats, "-i", input];

    public static string[] Video(MediaOptions options, bool photo) => photo
        ? ["-frames:v", "1", "-c:v", "mjpeg", "-q:v", "2"]
        :
        [
            "-c:v", "libx264", "-preset", options.X264Preset, "-crf", options.X264Crf.ToString(CultureInfo.InvariantCulture),
            "-profile:v", "high", "-x264-params", X264Params, "-pix_fmt", "yuv420p", "-fps_mode", "passthrough",
        ];

    public static string[] Audio(MediaOptions options, int? sampleRate) =>
    [
        "-c:a", "aac", "-b:a", $"{options.AudioBitrateKbps}k",
        .. sampleRate is { } rate ? ["-ar", rate.ToString(CultureInfo.InvariantCulture)] : Array.Empty<string>(),
    ];

    /// <summary>
    /// No metadata — global (-1), per stream (-map_metadata:s -1) or chapters —, and +bitexact so neither
    /// muxer nor encoders write their version or the time of the run.
    /// </summary>
    public static string[] Output(bool photo, string output) =>
    [
        "-map_metadata", "-1", "-map_metadata:s", "-1", "-map_chapters", "-1",
        "-threads", EncoderThreads.ToString(CultureInfo.InvariantCulture), "-fflags", "+bitexact", "-flags", "+bitexact",
        .. photo ? ["-f", "image2", "-update", "1"] : (string[])["-max_muxing_queue_size", "4096", "-movflags", "+faststart", "-f", "mp4"],
        output,
    ];

    public static string ContentType(bool photo, bool video) => photo ? "image/jpeg" : video ? "video/mp4" : "audio/mp4";

    /// <summary>What the output must be when read back: null when it is.</summary>
    public static string? Check(MediaProbe written, bool photo, bool video, bool audio)
    {
        if (photo)
        {
            return written.Video is { Codec: "mjpeg" } ? null : $"the output is {written.Video?.Codec ?? "no picture"}, not a JPEG";
        }

        if (written.FormatName is null || !written.FormatName.Contains("mp4", StringComparison.Ordinal))
        {
            return $"the output is {written.FormatName ?? "of no known format"}, not MP4";
        }

        if (video && written.Video is not { Codec: "h264", PixelFormat: "yuv420p" })
        {
            return $"the output's video is {written.Video?.Codec ?? "missing"} {written.Video?.PixelFormat}, not H.264 4:2:0";
        }

        if (audio && written.Audio is not { Codec: "aac" })
        {
            return $"the output's audio is {written.Audio?.Codec ?? "missing"}, not AAC";
        }

        return written.DurationSeconds is > 0 ? null : "the output has no duration";
    }
}
