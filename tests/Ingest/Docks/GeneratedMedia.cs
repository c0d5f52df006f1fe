using Enforcement.Media.Tests.Infrastructure;

namespace Enforcement.Media.Tests.Ingest.Docks;

/// <summary>Small real media made with Debian's ffmpeg (lavfi sources, never downloaded), once per test run.</summary>
public sealed record GeneratedMedia(byte[] Mp4, byte[] TruncatedMp4, byte[] Jpeg, byte[] AudioOnly)
{
    private static readonly Lazy<Task<GeneratedMedia>> Made = new(MakeAsync);

    public static Task<GeneratedMedia> GetAsync() => Made.Value;

    /// <summary>True when the bytes contain an MP4 'moov' box tag.</summary>
    public static bool HasMoov(byte[] bytes) => bytes.AsSpan().IndexOf("moov"u8) >= 0;

    private static async Task<GeneratedMedia> MakeAsync()
    {
        var folder = Directory.CreateTempSubdirectory("em-media-").FullName;
        try
        {
            var mp4 = Path.Combine(folder, "clip.mp4");
            var jpeg = Path.Combine(folder, "photo.jpg");
            var audio = Path.Combine(folder, "audio.m4a");
            await FfmpegAsync("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30:duration=2", "-f", "lavfi", "-i", "sine=frequency=440:duration=2",
                "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", mp4);
            await FfmpegAsync("-f", "lavfi", "-i", "testsrc2=size=320x240", "-frames:v", "1", jpeg);
            await FfmpegAsync("-f", "lavfi", "-i", "sine=frequency=1000:duration=1", "-c:a", "aac", audio);

            var whole = await File.ReadAllBytesAsync(mp4);
            // Without +faststart ffmpeg writes 'moov' after the media data: cutting the file in half loses it,
            // as when a recorder loses power mid-recording.
            var truncated = whole[..(whole.Length / 2)];
            return new GeneratedMedia(whole, truncated, await File.ReadAllBytesAsync(jpeg), await File.ReadAllBytesAsync(audio));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task FfmpegAsync(params string[] arguments)
    {
        var (exitCode, _, error) = await ExternalCommand.RunAsync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", .. arguments], null, null, CancellationToken.None);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg {string.Join(' ', arguments)} exited with {exitCode}: {error}");
        }
    }
}
