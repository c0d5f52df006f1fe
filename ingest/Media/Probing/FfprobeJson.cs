using System.Text.Json.Serialization;

namespace Enforcement.Media.Ingest.Media.Probing;

/// <summary>
/// The parts of <c>ffprobe -print_format json -show_format -show_streams</c> this service reads. ffprobe
/// prints most numbers as strings ("duration": "2.000000"); they stay strings here and are parsed
/// with the invariant culture, so an odd value degrades to "unknown" instead of failing the probe.
/// </summary>
internal sealed record FfprobeOutput(List<FfprobeStream>? Streams, FfprobeFormat? Format);

internal sealed record FfprobeFormat(
    string? Filename,
    int? NbStreams,
    string? FormatName,
    string? FormatLongName,
    string? Duration,
    string? Size,
    string? BitRate,
    Dictionary<string, string>? Tags);

internal sealed record FfprobeStream(
    int Index,
    string? CodecName,
    string? CodecType,
    string? Profile,
    int? Width,
    int? Height,
    string? PixFmt,
    string? FieldOrder,
    string? RFrameRate,
    string? AvgFrameRate,
    string? Duration,
    string? BitsPerRawSample,
    string? SampleRate,
    int? Channels,
    FfprobeDisposition? Disposition,
    Dictionary<string, string>? Tags,
    List<FfprobeSideData>? SideDataList);

internal sealed record FfprobeDisposition(int? AttachedPic);

internal sealed record FfprobeSideData(string? SideDataType, double? Rotation);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(FfprobeOutput))]
internal sealed partial class FfprobeJsonContext : JsonSerializerContext;
