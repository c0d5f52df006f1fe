using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Enforcement.Media.Tests.Ingest.Media;

/// <summary>
/// What a produced file really is, read with the real ffprobe directly (not through the code under
/// test), plus the MP4's top-level box order read from the bytes.
/// </summary>
public sealed record OutputProbe(
    string FormatName,
    double Duration,
    string? VideoCodec,
    string? PixelFormat,
    int Width,
    int Height,
    double? Rotation,
    string? FieldOrder,
    int? VideoFrames,
    string? AudioCodec,
    int AudioStreams,
    int VideoStreams)
{
    public static async Task<OutputProbe> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var json = await RunAsync(cancellationToken, "-v", "error", "-count_packets", "-print_format", "json", "-show_format", "-show_streams", path);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var streams = root.GetProperty("streams").EnumerateArray().ToList();
        var video = streams.Where(s => s.GetProperty("codec_type").GetString() == "video").ToList();
        var audio = streams.Where(s => s.GetProperty("codec_type").GetString() == "audio").ToList();
        var v = video.Count > 0 ? video[0] : (JsonElement?)null;
        double? rotation = null;
        if (v?.TryGetProperty("side_data_list", out var sideData) == true)
        {
            foreach (var item in sideData.EnumerateArray())
            {
                if (item.TryGetProperty("rotation", out var r))
                {
                    rotation = r.GetDouble();
                }
            }
        }

        return new OutputProbe(
            root.GetProperty("format").GetProperty("format_name").GetString()!,
            double.Parse(root.GetProperty("format").GetProperty("duration").GetString()!, CultureInfo.InvariantCulture),
            v?.GetProperty("codec_name").GetString(),
            v?.TryGetProperty("pix_fmt", out var pix) == true ? pix.GetString() : null,
            v?.GetProperty("width").GetInt32() ?? 0,
            v?.GetProperty("height").GetInt32() ?? 0,
            rotation,
            v?.TryGetProperty("field_order", out var field) == true ? field.GetString() : null,
            v?.TryGetProperty("nb_read_packets", out var packets) == true ? int.Parse(packets.GetString()!, CultureInfo.InvariantCulture) : null,
            audio.Count > 0 ? audio[0].GetProperty("codec_name").GetString() : null,
            audio.Count,
            video.Count);
    }

    /// <summary>The MP4's top-level boxes in file order (ISO/IEC 14496-12 §4.2: 32-bit size, type; size 1 means a 64-bit size follows).</summary>
    public static IReadOnlyList<string> TopLevelBoxes(string path)
    {
        var boxes = new List<string>();
        using var file = File.OpenRead(path);
        Span<byte> header = stackalloc byte[16];
        long position = 0;
        while (position + 8 <= file.Length)
        {
            file.Position = position;
            file.ReadExactly(header[..8]);
            long size = BinaryPrimitives.ReadUInt32BigEndian(header);
            var type = System.Text.Encoding.ASCII.GetString(header[4..8]);
            if (size == 1)
            {
                file.ReadExactly(header[8..16]);
                size = (long)BinaryPrimitives.ReadUInt64BigEndian(header[8..16]);
            }
            else if (size == 0)
            {
                size = file.Length - position;
            }

            boxes.Add(type);
            if (size < 8)
            {
                break;
            }

            position += size;
        }

        return boxes;
    }

    /// <summary>The average RGB of a horizontal band of the first frame, <paramref name="top"/> pixels down.</summary>
    public static async Task<(int R, int G, int B)> BandColourAsync(string path, int width, int top, CancellationToken cancellationToken)
    {
        var raw = await RunBytesAsync("ffmpeg", cancellationToken, "-v", "error", "-i", path, "-frames:v", "1", "-vf", $"crop={width}:4:0:{top}", "-f", "rawvideo", "-pix_fmt", "rgb24", "-");
        long r = 0, g = 0, b = 0;
        var pixels = raw.Length / 3;
        for (var i = 0; i < pixels; i++)
        {
            r += raw[i * 3];
            g += raw[(i * 3) + 1];
            b += raw[(i * 3) + 2];
        }

        return ((int)(r / pixels), (int)(g / pixels), (int)(b / pixels));
    }

    /// <summary>ffmpeg's per-stream hash of the packets, to tell a copy from a re-encode.</summary>
    public static async Task<string> VideoPacketsHashAsync(string path, CancellationToken cancellationToken) =>
        System.Text.Encoding.ASCII.GetString(await RunBytesAsync("ffmpeg", cancellationToken, "-v", "error", "-i", path, "-map", "0:v:0", "-c", "copy", "-f", "streamhash", "-hash", "sha256", "-")).Trim();

    private static async Task<string> RunAsync(CancellationToken cancellationToken, params string[] arguments) =>
        System.Text.Encoding.UTF8.GetString(await RunBytesAsync("ffprobe", cancellationToken, arguments));

    /// <summary>Runs ffmpeg or ffprobe and returns what it wrote to stdout; fails with its stderr when it exits non-zero.</summary>
    public static async Task<byte[]> RunBytesAsync(string tool, CancellationToken cancellationToken, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        using var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output, cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        await copy;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} failed: {await errors}");
        }

        return output.ToArray();
    }
}
