namespace Enforcement.Media.Player.Recordings;

/// <summary>What the catalogue holds about one recording: its identity, origin, classification and retention.</summary>
public sealed record RecordingFacts(
    Guid Id,
    string Sha256,
    long SizeBytes,
    string OriginalName,
    string? DeviceSerial,
    string? OfficerId,
    string? UnitCode,
    DateTimeOffset? RecorderStartedAt,
    int? RecorderClockOffsetSeconds,
    bool Important,
    string? QuarantineReason,
    string Classification,
    string RetentionClass,
    DateTimeOffset RetainUntil,
    bool LegalHold,
    DateTimeOffset IngestedAt,
    string MediaState)
{
    /// <summary>Anything but normal needs a supervisor's approval before it is viewed.</summary>
    public bool NeedsApproval => Classification != "normal";
}
