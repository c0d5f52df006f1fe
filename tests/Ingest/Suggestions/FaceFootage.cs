using Enforcement.Media.Tests.Ingest.Media;

namespace Enforcement.Media.Tests.Ingest.Suggestions;

/// <summary>
/// Footage with a real face, made on the spot with ffmpeg from a photograph a Debian package ships:
/// the astronaut portrait (Eileen Collins, a NASA photograph in the public domain) in
/// <c>python3-skimage</c>'s data folder. Missing, it fails the test with what to install, never skips it.
/// </summary>
public static class FaceFootage
{
    public const string AstronautPath = "/usr/lib/python3/dist-packages/skimage/data/astronaut.png";

    /// <summary>In the 512×512 portrait the frontal cascade boxes her face at (178, 67), 93 px square.</summary>
    public const double AstronautFaceX = 224.5;

    public const double AstronautFaceY = 113.5;

    /// <summary>The head and shoulders cut out of the portrait and moved over a plain background: crop=160:200:150:30.</summary>
    public const string HeadCrop = "crop=160:200:150:30";

    /// <summary>Where the face's centre is inside <see cref="HeadCrop"/>.</summary>
    public const double HeadFaceX = AstronautFaceX - 150;

    public const double HeadFaceY = AstronautFaceY - 30;

    public static string Astronaut()
    {
        Assert.True(
            File.Exists(AstronautPath),
            $"{AstronautPath} is missing: install Debian's python3-skimage package (scripts/test.sh does), whose photograph the face footage is made from.");
        return AstronautPath;
    }

    /// <summary>
    /// <paramref name="seconds"/> of 640×360 grey at 10 fps with the head moving right at 50 px/s from x = 20,
    /// y = 60: the face's centre is at (20 + 50 t + <see cref="HeadFaceX"/>, 60 + <see cref="HeadFaceY"/>).
    /// </summary>
    public static Task MovingAcrossAsync(string path, double seconds, CancellationToken cancellationToken) =>
        Footage.FfmpegAsync(
            cancellationToken,
            [
                "-f", "lavfi", "-i", $"color=c=0x707070:s=640x360:r=10:d={Footage.Seconds(seconds)}", "-loop", "1", "-i", Astronaut(),
                "-filter_complex", $"[1]{HeadCrop}[head];[0][head]overlay=x='20+50*t':y=60:shortest=1[v]", "-map", "[v]",
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", .. Footage.Unique(), path,
            ]);

    /// <summary>
    /// A portrait phone clip: upright it is 360×640 with the head moving down at 50 px/s from (100, 60), so
    /// the face's centre is at (100 + <see cref="HeadFaceX"/>, 60 + 50 t + <see cref="HeadFaceY"/>). It is
    /// stored turned on its side (640×360) with a display matrix saying "turn 90° clockwise".
    /// </summary>
    public static async Task RotatedPortraitAsync(string path, string folder, double seconds, CancellationToken cancellationToken)
    {
        var sensor = Path.Combine(folder, $"sensor-{Guid.NewGuid():N}.mp4");
        await Footage.FfmpegAsync(
            cancellationToken,
            [
                "-f", "lavfi", "-i", $"color=c=0x707070:s=360x640:r=10:d={Footage.Seconds(seconds)}", "-loop", "1", "-i", Astronaut(),
                "-filter_complex", $"[1]{HeadCrop}[head];[0][head]overlay=x=100:y='60+50*t':shortest=1,transpose=cclock[v]", "-map", "[v]",
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", .. Footage.Unique(), sensor,
            ]);

        // ffmpeg 5.1 writes rotate=270 as the display matrix phones write for "turn 90° clockwise".
        await Footage.FfmpegAsync(cancellationToken, "-i", sensor, "-c", "copy", "-metadata:s:v:0", "rotate=270", path);
    }
}
