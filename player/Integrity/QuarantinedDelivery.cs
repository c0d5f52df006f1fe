namespace Enforcement.Media.Player.Integrity;

/// <summary>
/// A delivery whose source's own hash claim did not match the bytes that arrived: stored and locked all the
/// same, its source never released. <paramref name="Reason"/> is the recording's quarantine reason when this
/// delivery brought its bytes first.
/// </summary>
public sealed record QuarantinedDelivery(
    Guid SourceId,
    Guid RecordingId,
    string OriginalName,
    string SourceKind,
    string? StationId,
    string? DeviceSerial,
    string? OfficerId,
    string Sha256,
    string? ClaimedSha256,
    string? ClaimedMd5,
    string? Reason,
    DateTimeOffset ReceivedAt);
