using System.Globalization;

namespace Enforcement.Media.Ingest.Media.Suggestions;

/// <summary>ffmpeg argument lists that write sampled frames to stdout as raw 8-bit grey pictures, upright and scaled.</summary>
public static class SampleArguments
{
    /// <summary>
    /// <paramref name="samples"/> frames from <paramref name="startSeconds"/> on, one every <see cref="SamplePlan.SampleSeconds"/>.
    /// The fps filter rounds up, so sample k is the frame shown at start + k × interval (the newest one at or
    /// before it); its default would take the frame half an interval later.
    /// </summary>
    public static IReadOnlyList<string> Chunk(MediaOptions media, string input, SamplePlan plan, double startSeconds, int samples) =>
    [
        .. Input(media),
        .. startSeconds > 0 ? ["-ss", Seconds(startSeconds)] : Array.Empty<string>(),
        "-t", Seconds(samples * plan.SampleSeconds),
        "-i", input,
        "-map", $"0:{plan.VideoStream}", "-an", "-sn", "-dn",
        "-vf", $"fps=fps=1/{Seconds(plan.SampleSeconds)}:round=up,scale={plan.Size.Width}:{plan.Size.Height}",
        "-frames:v", samples.ToString(CultureInfo.InvariantCulture),
        .. Output(),
    ];

    /// <summary>The one picture of a photo.</summary>
    public static IReadOnlyList<string> Photo(MediaOptions media, string input, SamplePlan plan) =>
    [
        .. Input(media),
        "-i", input,
        "-map", $"0:{plan.VideoStream}",
        "-vf", $"scale={plan.Size.Width}:{plan.Size.Height}",
        "-frames:v", "1",
        .. Output(),
    ];

    private static string[] Input(MediaOptions media) => ["-hide_banner", "-nostats", "-v", "error", "-format_whitelist", media.InputFormats];

    private static string[] Output() => ["-pix_fmt", "gray", "-f", "rawvideo", "pipe:1"];

    private static string Seconds(double seconds) => seconds.ToString("0.######", CultureInfo.InvariantCulture);
}
