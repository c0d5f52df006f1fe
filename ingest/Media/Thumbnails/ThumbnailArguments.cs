using System.Globalization;
using Enforcement.Media.Ingest.Media.Renditions;

namespace Enforcement.Media.Ingest.Media.Thumbnails;

/// <summary>ffmpeg argument lists for posters and sprite sheets (JPEG, one image each).</summary>
public static class ThumbnailArguments
{
    /// <summary>One frame at <paramref name="atSeconds"/> (seeking by byte ranges, not decoding from the start), fitted to <paramref name="size"/>.</summary>
    public static IReadOnlyList<string> VideoPoster(MediaOptions options, string input, int videoStream, double atSeconds, FrameSize size, string output) =>
    [
        .. Input(options, input, atSeconds > 0 ? ["-ss", Seconds(atSeconds)] : []),
        "-map", $"0:{videoStream}", "-frames:v", "1", "-vf", $"scale={size.Width}:{size.Height}",
        .. JpegOutput(output),
    ];

    /// <summary>The photo itself, fitted to <paramref name="size"/>.</summary>
    public static IReadOnlyList<string> PhotoPoster(MediaOptions options, string input, int videoStream, FrameSize size, string output) =>
        VideoPoster(options, input, videoStream, 0, size, output);

    /// <summary>The whole recording's waveform: something to show for audio-only evidence.</summary>
    public static IReadOnlyList<string> Waveform(MediaOptions options, string input, int audioStream, FrameSize size, string output) =>
    [
        .. Input(options, input, []),
        "-filter_complex", $"[0:{audioStream}]aformat=channel_layouts=mono,showwavespic=s={size.Width}x{size.Height}:colors=0x3080c0[wave]",
        "-map", "[wave]", "-frames:v", "1",
        .. JpegOutput(output),
    ];

    /// <summary>
    /// Frames at 0, I, 2I … tiled into one image. The last frame is held a little past the end so the fps
    /// filter always has a frame for every tile; the tile filter stops at exactly <see cref="SpriteLayout.Count"/>.
    /// </summary>
    public static IReadOnlyList<string> Sprite(MediaOptions options, string input, int videoStream, SpriteLayout layout, string output) =>
    [
        .. options.SpriteKeyframesOnly ? ["-skip_frame", "nokey"] : Array.Empty<string>(),
        .. Input(options, input, []),
        "-map", $"0:{videoStream}", "-an",
        "-vf", string.Create(
            CultureInfo.InvariantCulture,
            $"tpad=stop_mode=clone:stop_duration={layout.IntervalSeconds * 2},fps=1/{layout.IntervalSeconds},scale={layout.Tile.Width}:{layout.Tile.Height},tile={layout.Columns}x{layout.Rows}:nb_frames={layout.Count}"),
        "-frames:v", "1",
        .. JpegOutput(output),
    ];

    private static string[] Input(MediaOptions options, string input, string[] seek) =>
        ["-hide_banner", "-nostats", "-v", "error", "-format_whitelist", options.InputFormats, .. seek, "-i", input];

    private static string[] JpegOutput(string output) => ["-q:v", "4", "-f", "image2", "-update", "1", output];

    private static string Seconds(double seconds) => seconds.ToString("0.###", CultureInfo.InvariantCulture);
}
