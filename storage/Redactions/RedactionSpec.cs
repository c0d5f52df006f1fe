using System.Text.Json;
using System.Text.Json.Serialization;

namespace Enforcement.Media.Storage.Redactions;

/// <summary>
/// What to hide in one recording: picture regions that move between key positions, whole-frame ranges
/// and audio ranges. Times are seconds of the recording; coordinates are fractions (0..1) of the upright
/// picture, so one spec fits the original whatever its size or rotation. Stored as JSON exactly as given.
/// </summary>
public sealed record RedactionSpec(
    IReadOnlyList<RedactionRegion>? Regions,
    IReadOnlyList<TimeRange>? FullFrame,
    IReadOnlyList<AudioRedaction>? Audio)
{
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public IReadOnlyList<RedactionRegion> RegionList => Regions ?? [];

    public IReadOnlyList<TimeRange> FullFrameList => FullFrame ?? [];

    public IReadOnlyList<AudioRedaction> AudioList => Audio ?? [];

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static RedactionSpec FromJson(string json) =>
        JsonSerializer.Deserialize<RedactionSpec>(json, Json) ?? throw new JsonException("A redaction spec is a JSON object.");
}

/// <summary>
/// A blurred rectangle or ellipse. It is shown from <see cref="From"/> (default: its first key position)
/// to <see cref="To"/> (default: its last key position; the end of the recording when it has only one),
/// holds its first position before the first key and its last after the last, and moves linearly between.
/// </summary>
public sealed record RedactionRegion(string? Shape, IReadOnlyList<RegionKeyframe>? Keyframes, double? From = null, double? To = null)
{
    public const string Rectangle = "rect";
    public const string Ellipse = "ellipse";

    public IReadOnlyList<RegionKeyframe> KeyframeList => Keyframes ?? [];
}

/// <summary>Where a region is at time <see cref="T"/>: its top-left corner and size as fractions of the picture.</summary>
public sealed record RegionKeyframe(double T, double X, double Y, double W, double H);

/// <summary>A stretch of the recording, in seconds.</summary>
public sealed record TimeRange(double From, double To);

/// <summary>Audio to silence (<c>mute</c>) or to replace with a tone (<c>bleep</c>).</summary>
public sealed record AudioRedaction(double From, double To, string? Mode)
{
    public const string Mute = "mute";
    public const string Bleep = "bleep";
}
