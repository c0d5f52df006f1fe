using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Enforcement.Media.Storage.Media;
using FFMpegCore;

namespace Enforcement.Media.Ingest.Media.Probing;

/// <summary>
/// Turns ffprobe's JSON into a <see cref="MediaProbe"/> and decides what kind of media it is and
/// whether it can be played. Pure: unit-tested on JSON recorded from the real ffprobe
/// (<c>tests/Fixtures/ffprobe</c>).
/// </summary>
/// <remarks>
/// The JSON is read into FFMpegCore's model of it (<see cref="FFProbeAnalysis"/>: format, streams, tags,
/// dispositions and side data as ffprobe printed them), and names, codecs, sizes, pixel formats, field
/// order, channels and the <c>creation_time</c> tag are taken from there as they are. FFMpegCore's own
/// analysis of that model (<see cref="IMediaAnalysis"/>, what <c>FFProbe.FromJson</c> returns) is not
/// used, because for this service's fields it is wrong in three ways: it converts every number as it
/// reads and throws on the first it cannot (a <c>ROTATE</c> tag any muxer may write fails the whole
/// probe); it reads durations only in <c>-sexagesimal</c> form and calls a missing one zero (a raw H.264
/// stream would be "zero duration", unplayable); and it gives the display matrix's rotation
/// counter-clockwise but a <c>rotate</c> tag's clockwise. So durations, bit rates, frame rates, bit
/// depth and rotation are read here from the strings ffprobe printed, and each odd value degrades to
/// "unknown" on its own.
/// </remarks>
public static partial class FfprobeParser
{
    /// <summary>avg and r frame rates further apart than this fraction mark a stream as variable-rate.</summary>
    public const double VariableRateTolerance = 0.01;

    private static readonly string[] LocationTags = ["com.apple.quicktime.location.ISO6709", "location", "location-eng"];

    /// <summary>FFMpegCore's types bind with their own [JsonPropertyName]s; these are the options its FFProbe reads them with.</summary>
    private static readonly JsonSerializerOptions AnalysisJson = new() { PropertyNameCaseInsensitive = true };

    /// <summary>Throws <see cref="JsonException"/> when the text is not ffprobe's JSON at all.</summary>
    public static MediaProbe Parse(string json)
    {
        var analysis = JsonSerializer.Deserialize<FFProbeAnalysis>(json, AnalysisJson)
            ?? throw new JsonException("ffprobe printed null.");
        IReadOnlyList<FFProbeStream> streams = analysis.Streams ?? [];
        FFProbeFormat? format = analysis.Format;

        var videoStream = streams.FirstOrDefault(s => s.CodecType == "video" && !IsAttachedPicture(s));
        var audioStream = streams.FirstOrDefault(s => s.CodecType == "audio");
        var video = videoStream is null ? null : Video(videoStream);
        var audio = audioStream is null ? null : new AudioStreamInfo(audioStream.Index, audioStream.CodecName ?? "unknown", audioStream.Profile, audioStream.Channels, Integer(audioStream.SampleRate));

        var duration = Number(format?.Duration);
        if (duration is null)
        {
            var streamDurations = streams.Select(s => Number(s.Duration)).Where(d => d is not null).ToList();
            duration = streamDurations.Count > 0 ? streamDurations.Max() : null;
        }

        return new MediaProbe(
            KindOf(format?.FormatName, video, audio),
            format?.FormatName,
            format?.FormatLongName,
            duration,
            Long(format?.BitRate),

            // The model reads nb_streams as a plain int (absent is 0); -show_streams lists every stream anyway.
            Math.Max(format?.NbStreams ?? 0, streams.Count),
            video,
            audio,
            CreationTime(format, streams),
            Location(format));
    }

    /// <summary>
    /// Degrees clockwise to turn a still upright, from <c>-show_frames</c> JSON of its first frame. An image's
    /// orientation (a JPEG's EXIF Orientation) is not on its stream as a video's display matrix is: ffmpeg
    /// puts it on the decoded frame (<c>3x3 displaymatrix</c>) and turns the picture upright by it before any
    /// filter, as browsers do. Null when the frame carries none.
    /// </summary>
    public static int? FrameRotation(string json)
    {
        if (JsonNode.Parse(json)?["frames"] is not JsonArray { Count: > 0 } frames || frames[0]?["side_data_list"] is not JsonArray sideData)
        {
            return null;
        }

        foreach (var item in sideData)
        {
            if (item?["side_data_type"]?.GetValue<string>() == "3x3 displaymatrix" && item["rotation"] is JsonValue value && value.TryGetValue<double>(out var counterClockwise) && double.IsFinite(counterClockwise))
            {
                return QuarterTurns(-counterClockwise);
            }
        }

        return null;
    }

    /// <summary>Why this cannot be played, or null when it can.</summary>
    public static string? UnplayableReason(MediaProbe probe)
    {
        var reasons = new List<string>();
        if (probe.Kind == MediaKind.Unknown)
        {
            reasons.Add(probe.StreamCount == 0 ? "no streams at all" : "no audio or video stream");
        }

        if (probe.Kind != MediaKind.Photo && probe.DurationSeconds is <= 0)
        {
            reasons.Add("zero duration");
        }

        return reasons.Count == 0 ? null : $"ffprobe found {string.Join(" and ", reasons)}";
    }

    private static MediaKind KindOf(string? formatName, VideoStreamInfo? video, AudioStreamInfo? audio)
    {
        if (video is not null)
        {
            // Still images come through ffmpeg's image demuxers: image2 for files, *_pipe for streams such as HTTP.
            return formatName is not null && (formatName == "image2" || formatName.EndsWith("_pipe", StringComparison.Ordinal))
                ? MediaKind.Photo
                : MediaKind.Video;
        }

        return audio is not null ? MediaKind.Audio : MediaKind.Unknown;
    }

    private static VideoStreamInfo Video(FFProbeStream stream)
    {
        var average = Rate(stream.AvgFrameRate);
        var real = Rate(stream.FrameRate);
        return new VideoStreamInfo(
            stream.Index,
            stream.CodecName ?? "unknown",
            stream.Profile,
            stream.PixelFormat,
            Integer(stream.BitsPerRawSample) ?? BitDepthOf(stream.PixelFormat),
            stream.Width ?? 0,
            stream.Height ?? 0,
            Rotation(stream),
            stream.AvgFrameRate,
            stream.FrameRate,
            average ?? real,
            average is { } a && real is { } r && Math.Abs(a - r) > r * VariableRateTolerance,
            stream.FieldOrder,
            stream.FieldOrder is "tt" or "bb" or "tb" or "bt");
    }

    /// <summary>Cover art in an audio file is a video stream ffprobe marks as an attached picture.</summary>
    private static bool IsAttachedPicture(FFProbeStream stream) =>
        stream.Disposition is { } disposition && disposition.TryGetValue("attached_pic", out var attached) && attached == 1;

    /// <summary>
    /// Degrees clockwise to turn the picture upright. ffprobe 5+ reports the display matrix's rotation
    /// counter-clockwise (a portrait phone clip says −90); older builds gave a clockwise <c>rotate</c> tag.
    /// </summary>
    private static int Rotation(FFProbeStream stream)
    {
        foreach (var sideData in stream.SideData ?? [])
        {
            if (Text(sideData, "side_data_type") == "Display Matrix" && Value(sideData, "rotation") is { } counterClockwise)
            {
                return QuarterTurns(-counterClockwise);
            }
        }

        return Tag(stream.Tags, "rotate") is { } tag && double.TryParse(tag, NumberStyles.Float, CultureInfo.InvariantCulture, out var clockwise)
            ? QuarterTurns(clockwise)
            : 0;
    }

    private static string? Text(IReadOnlyDictionary<string, JsonValue> sideData, string key) =>
        sideData.TryGetValue(key, out var value) && value.TryGetValue<string>(out var text) ? text : null;

    private static double? Value(IReadOnlyDictionary<string, JsonValue> sideData, string key) =>
        sideData.TryGetValue(key, out var value) && value.TryGetValue<double>(out var number) && double.IsFinite(number) ? number : null;

    private static int QuarterTurns(double degrees)
    {
        var turns = (int)Math.Round(degrees / 90, MidpointRounding.AwayFromZero);
        return ((turns % 4) + 4) % 4 * 90;
    }

    /// <summary>yuv420p10le → 10, gray12be → 12. Deeper formats always carry an endianness suffix, so nv12 stays 8.</summary>
    private static int? BitDepthOf(string? pixelFormat)
    {
        if (pixelFormat is null)
        {
            return null;
        }

        var match = BitDepthSuffix().Match(pixelFormat);
        return match.Success ? int.Parse(match.Groups["bits"].Value, CultureInfo.InvariantCulture) : 8;
    }

    private static DateTimeOffset? CreationTime(FFProbeFormat? format, IReadOnlyList<FFProbeStream> streams)
    {
        var text = format?.GetCreationTime() ?? streams.Select(s => s.GetCreationTime()).FirstOrDefault(t => t is not null);
        return text is not null && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : null;
    }

    private static GeoLocation? Location(FFProbeFormat? format)
    {
        foreach (var name in LocationTags)
        {
            if (Tag(format?.Tags, name) is { Length: > 0 } text)
            {
                return Iso6709.Parse(text);
            }
        }

        return null;
    }

    /// <summary>Tag names vary in case between containers (Matroska writes CREATION_TIME).</summary>
    private static string? Tag(IReadOnlyDictionary<string, string>? tags, string name) =>
        tags?.FirstOrDefault(t => string.Equals(t.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    private static double? Rate(string? fraction)
    {
        if (fraction is null)
        {
            return null;
        }

        var parts = fraction.Split('/');
        return parts.Length == 2
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var numerator)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var denominator)
            && numerator > 0 && denominator > 0
            ? numerator / denominator
            : null;
    }

    private static double? Number(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value : null;

    private static int? Integer(string? text) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static long? Long(string? text) => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    [GeneratedRegex(@"(?<bits>9|10|12|14|16)(le|be)$", RegexOptions.CultureInvariant)]
    private static partial Regex BitDepthSuffix();
}
