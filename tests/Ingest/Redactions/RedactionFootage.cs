using Enforcement.Media.Storage.Redactions;
using Enforcement.Media.Tests.Ingest.Media;

namespace Enforcement.Media.Tests.Ingest.Redactions;

/// <summary>
/// Generated test footage for redactions: a smooth grey gradient with a high-contrast 48 px checkerboard
/// (a stand-in for a face) moving linearly across — top-left at (20 + 40t, 40 + 10t) on 320×240 — and a
/// 440 Hz tone at 48 kHz. The patch's key positions are exact, so a region can follow it precisely.
/// </summary>
public static class RedactionFootage
{
    public const int Width = 320;
    public const int Height = 240;
    public const int Patch = 48;
    public const int SampleRate = 48_000;

    public static Task MovingPatchAsync(string path, CancellationToken cancellationToken, double seconds = 6, params string[] output) =>
        Footage.FfmpegAsync(
            cancellationToken,
            [
                "-f", "lavfi", "-i",
                $"nullsrc=s={Width}x{Height}:r=25:d={Footage.Seconds(seconds)},geq=lum='60+X/4':cb=128:cr=128,format=yuv420p[bg];"
                + $"nullsrc=s={Patch}x{Patch}:r=25:d={Footage.Seconds(seconds)},geq=lum='if(mod(floor(X/6)+floor(Y/6),2),235,16)':cb=128:cr=128,format=yuv420p[patch];"
                + "[bg][patch]overlay=x='20+40*t':y='40+10*t':shortest=1,format=yuv420p",
                "-f", "lavfi", "-i", $"sine=f=440:sample_rate={SampleRate}:d={Footage.Seconds(seconds)}",
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "25",
                "-c:a", "aac", "-b:a", "96k", "-shortest",
                .. Footage.Unique(),
                .. output,
                path,
            ]);

    /// <summary>One frame of the scene at 1 s as a JPEG: the patch's top-left at (60, 50).</summary>
    public static async Task PhotoAsync(string path, string work, CancellationToken cancellationToken)
    {
        var clip = Path.Combine(work, $"photo-source-{Guid.NewGuid():N}.mp4");
        await MovingPatchAsync(clip, cancellationToken, seconds: 2);
        await Footage.FfmpegAsync(cancellationToken, ["-ss", "1", "-i", clip, "-frames:v", "1", "-q:v", "2", .. Footage.Unique(), path]);
    }

    /// <summary>The clip tagged with a display rotation (<c>rotate=90</c>; upright it is 240×320), as phones record portrait video.</summary>
    public static async Task RotatedAsync(string path, string work, CancellationToken cancellationToken)
    {
        var clip = Path.Combine(work, $"rotation-source-{Guid.NewGuid():N}.mp4");
        await MovingPatchAsync(clip, cancellationToken, seconds: 3);
        await Footage.FfmpegAsync(cancellationToken, ["-i", clip, "-c", "copy", "-metadata:s:v", "rotate=90", path]);
    }

    /// <summary>Where the patch is at <paramref name="t"/> seconds, in pixels.</summary>
    public static PixelBox PatchAt(double t) => new((int)Math.Round(20 + (40 * t)), (int)Math.Round(40 + (10 * t)), Patch, Patch);

    /// <summary>The patch's key position at <paramref name="t"/> as a fraction of the picture.</summary>
    public static RegionKeyframe KeyAt(double t) =>
        new(t, (20 + (40 * t)) / Width, (40 + (10 * t)) / Height, (double)Patch / Width, (double)Patch / Height);
}
