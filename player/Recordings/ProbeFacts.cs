namespace Enforcement.Media.Player.Recordings;

/// <summary>What ffprobe found in the original (media_probes), as the recording page shows it.</summary>
public sealed record ProbeFacts(
    string Outcome,
    string? UnplayableReason,
    string MediaKind,
    string? FormatLongName,
    double? DurationSeconds,
    long? BitRate,
    string? VideoCodec,
    string? VideoProfile,
    int? Width,
    int? Height,
    int? Rotation,
    double? FramesPerSecond,
    bool? VariableFrameRate,
    string? AudioCodec,
    int? AudioChannels,
    int? AudioSampleRate,
    DateTimeOffset? MediaCreatedAt,
    string? GpsIso6709,
    double? GpsLatitude,
    double? GpsLongitude,
    double? GpsAltitude);
