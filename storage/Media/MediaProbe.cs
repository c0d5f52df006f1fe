namespace Enforcement.Media.Storage.Media;

/// <summary>What ffprobe found in an original: the container, its main video and audio streams, and when and where it was recorded.</summary>
/// <param name="DurationSeconds">Null when the container does not say (e.g. a raw H.264 stream).</param>
/// <param name="CreationTime">The <c>creation_time</c> tag: the recorder's clock, as untrustworthy as that is.</param>
public sealed record MediaProbe(
    MediaKind Kind,
    string? FormatName,
    string? FormatLongName,
    double? DurationSeconds,
    long? BitRate,
    int StreamCount,
    VideoStreamInfo? Video,
    AudioStreamInfo? Audio,
    DateTimeOffset? CreationTime,
    GeoLocation? Location)
{
    /// <summary>What is known of a file ffprobe could not read at all.</summary>
    public static MediaProbe Unreadable { get; } = new(MediaKind.Unknown, null, null, null, null, 0, null, null, null, null);
}
