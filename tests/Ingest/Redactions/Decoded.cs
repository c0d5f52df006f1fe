using System.Globalization;

using Enforcement.Media.Tests.Ingest.Media;

namespace Enforcement.Media.Tests.Ingest.Redactions;

/// <summary>
/// Pictures and sound decoded with the real ffmpeg (not through the code under test) into numbers to
/// compare: one frame as 8-bit gray, a stretch of sound as 16-bit mono.
/// </summary>
public static class Decoded
{
    /// <summary>The frame shown at <paramref name="seconds"/>, as gray levels, row by row.</summary>
    public static async Task<Gray> FrameAsync(string path, double seconds, int width, int height, CancellationToken cancellationToken)
    {
        // No seek at 0: a still image cannot be sought in, and decodes to nothing when asked to.
        var bytes = await RunAsync(
            cancellationToken, [.. seconds > 0 ? ["-ss", Seconds(seconds)] : Array.Empty<string>(), "-v", "error", "-i", path, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "gray", "-"]);
        Assert.Equal(width * height, bytes.Length);
        return new Gray(bytes, width, height);
    }

    /// <summary><paramref name="duration"/> seconds of sound from <paramref name="from"/>, mixed to mono.</summary>
    public static async Task<short[]> SoundAsync(string path, double from, double duration, CancellationToken cancellationToken)
    {
        var bytes = await RunAsync(cancellationToken, "-v", "error", "-ss", Seconds(from), "-t", Seconds(duration), "-i", path, "-map", "0:a:0", "-ac", "1", "-f", "s16le", "-acodec", "pcm_s16le", "-");
        var samples = new short[bytes.Length / 2];
        Buffer.BlockCopy(bytes, 0, samples, 0, samples.Length * 2);
        return samples;
    }

    /// <summary>Every tag in the file, as <c>format.tags.key</c> or <c>streams.stream.N.tags.key</c> with its value.</summary>
    public static async Task<IReadOnlyList<string>> TagsAsync(string path, CancellationToken cancellationToken)
    {
        var flat = System.Text.Encoding.UTF8.GetString(
            await OutputProbe.RunBytesAsync("ffprobe", cancellationToken, "-v", "error", "-show_entries", "format_tags:stream_tags:chapters", "-of", "flat", path));
        return [.. flat.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
    }

    public static double Rms(short[] samples) => samples.Length == 0 ? 0 : Math.Sqrt(samples.Average(s => (double)s * s));

    /// <summary>Sign changes a second: about twice the frequency of a pure tone.</summary>
    public static double CrossingsPerSecond(short[] samples, int sampleRate)
    {
        var crossings = 0;
        for (var i = 1; i < samples.Length; i++)
        {
            if ((samples[i - 1] < 0) != (samples[i] < 0))
            {
                crossings++;
            }
        }

        return crossings * (double)sampleRate / samples.Length;
    }

    private static string Seconds(double seconds) => seconds.ToString("0.###", CultureInfo.InvariantCulture);

    private static Task<byte[]> RunAsync(CancellationToken cancellationToken, params string[] arguments) => OutputProbe.RunBytesAsync("ffmpeg", cancellationToken, arguments);
}

/// <summary>One decoded gray frame and the measures the tests compare.</summary>
public sealed record Gray(byte[] Pixels, int Width, int Height)
{
    public byte this[int x, int y] => Pixels[(y * Width) + x];

    /// <summary>Variance of the gray levels in a box: a checkerboard's is thousands, a smooth patch's a few.</summary>
    public double Variance(PixelBox box)
    {
        var values = box.Points().Select(p => (double)this[p.X, p.Y]).ToList();
        var mean = values.Average();
        return values.Average(v => (v - mean) * (v - mean));
    }

    /// <summary>Mean absolute difference from another frame over the pixels <paramref name="include"/> accepts.</summary>
    public double MeanDifference(Gray other, Func<int, int, bool> include)
    {
        double sum = 0;
        var count = 0;
        for (var y = 0; y < Height; y++)
        {
            for (var x = 0; x < Width; x++)
            {
                if (include(x, y))
                {
                    sum += Math.Abs(this[x, y] - other[x, y]);
                    count++;
                }
            }
        }

        return sum / count;
    }
}

/// <summary>A box of pixels (clipped to nothing beyond what the caller gives).</summary>
public sealed record PixelBox(int X, int Y, int Width, int Height)
{
    public bool Contains(int x, int y) => x >= X && x < X + Width && y >= Y && y < Y + Height;

    public PixelBox Grown(int by) => new(X - by, Y - by, Width + (2 * by), Height + (2 * by));

    public IEnumerable<(int X, int Y)> Points()
    {
        for (var y = Y; y < Y + Height; y++)
        {
            for (var x = X; x < X + Width; x++)
            {
                yield return (x, y);
            }
        }
    }
}
