namespace Enforcement.Media.Player.Recordings;

/// <summary>One delivery of the recording's bytes: which station, device or upload brought them, under what name.</summary>
public sealed record RecordingSource(
    string SourceKind,
    string? StationId,
    string OriginalName,
    string? OriginalPath,
    string? DeviceSerial,
    string? OfficerId,
    DateTimeOffset? RecorderStartedAt,
    int? RecorderClockOffsetSeconds,
    DateTimeOffset? FileModifiedAt,
    bool? ClaimVerified,
    DateTimeOffset ReceivedAt);
