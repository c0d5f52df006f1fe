namespace Enforcement.Media.Storage.Recordings;

/// <summary>One line of a recordings listing.</summary>
public sealed record RecordingSummary(
    Guid Id,
    string OriginalName,
    string Sha256,
    long SizeBytes,
    string? DeviceSerial,
    string? OfficerId,
    DateTime? RecorderStartedAt,
    string MediaState,
    double? DurationSeconds,
    string? QuarantineReason,
    int Sources,
    string[] Cases,
    DateTime IngestedAt);
