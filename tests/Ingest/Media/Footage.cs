using System.Diagnostics;

namespace Enforcement.Media.Tests.Ingest.Media;

/// <summary>
/// Test footage generated on the spot with the real ffmpeg's lavfi sources (<c>testsrc2</c>, <c>sine</c>,
/// <c>color</c>) — never downloaded. Runs ffmpeg directly (not through the code under test) and fails
/// loudly, with ffmpeg's stderr, when ffmpeg is missing or refuses.
/// </summary>
public static class Footage
{
    /// <summary>Runs <c>ffmpeg -hide_banner -nostdin -v error -y</c> followed by <paramref name="arguments"/>.</summary>
    public static async Task FfmpegAsync(CancellationToken cancellationToken, params string[] arguments)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in (string[])["-hide_banner", "-nostdin", "-v", "error", "-y", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("ffmpeg did not start: install Debian's ffmpeg package (scripts/test.sh does).");
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        await stdout;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"Generating footage failed (ffmpeg exit {process.ExitCode}): {string.Join(' ', arguments)}\n{await stderr}");
        }
    }

    /// <summary>H.264 High yuv420p + AAC in MP4, the index (<c>moov</c>) after the media data, as recorders write it.</summary>
    public static Task H264AacAsync(string path, CancellationToken cancellationToken, double seconds = 2, string size = "320x240", int rate = 30, bool faststart = false) =>
        FfmpegAsync(
            cancellationToken,
            [
                "-f", "lavfi", "-i", $"testsrc2=s={size}:r={rate}:d={Seconds(seconds)}",
                "-f", "lavfi", "-i", $"sine=f=440:sample_rate=48000:d={Seconds(seconds)}",
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", $"{rate}",
                "-c:a", "aac", "-b:a", "64k", "-shortest",
                .. Unique(),
                .. (string[])(faststart ? ["-movflags", "+faststart"] : []),
                path,
            ]);

    /// <summary>
    /// An MJPEG AVI whose codec tag is changed to one no decoder knows (QQQQ): ffprobe reads the container
    /// and its video stream, ffmpeg cannot decode a single picture. Returns the file's bytes.
    /// </summary>
    public static async Task<byte[]> UndecodableAviAsync(string path, CancellationToken cancellationToken)
    {
        await FfmpegAsync(cancellationToken, ["-f", "lavfi", "-i", "testsrc2=s=320x240:r=25:d=1", "-c:v", "mjpeg", "-pix_fmt", "yuvj420p", .. Unique(), path]);
        var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        var tag = "MJPG"u8.ToArray();
        for (var at = bytes.AsSpan().IndexOf(tag); at >= 0; at = bytes.AsSpan().IndexOf(tag))
        {
            "QQQQ"u8.CopyTo(bytes.AsSpan(at));
        }

        await File.WriteAllBytesAsync(path, bytes, cancellationToken);
        return bytes;
    }

    /// <summary>
    /// Output options that make a file's bytes unique. lavfi output is deterministic, and the archive
    /// deduplicates by content: two tests storing "the same" clip would otherwise share one recording.
    /// </summary>
    public static string[] Unique() => ["-metadata", $"comment={Guid.NewGuid():N}"];

    public static string Seconds(double seconds) => seconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
}
