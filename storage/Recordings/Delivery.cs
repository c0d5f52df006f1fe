namespace Enforcement.Media.Storage.Recordings;

/// <summary>
/// One arrival of a file and everything its source told us about it. Unknown fields stay null:
/// no file is ever refused for what it does not say.
/// </summary>
/// <param name="Actor">Who delivered it, for the audit trail: <c>station:DOCK-01</c>, <c>key:…</c>, <c>user:…</c>.</param>
/// <param name="RecorderStartedAt">Start time by the recorder's own clock.</param>
/// <param name="RecorderClockOffsetSeconds">Station clock minus recorder clock, when a station measured it.</param>
/// <param name="ClaimedSha256">A hash the source computed; verified against the bytes received.</param>
/// <param name="ClaimedMd5">An MD5 the station computed (common on GA/T 947 stations); verified the same way.</param>
/// <param name="ApiKeyId">The station or device key that delivered it (tus uploads); null for sources that need none.</param>
/// <param name="DerivativeOf">
/// Only for a derivative's pending write (a rendition, thumbnails…): the recording it was made from,
/// under which recovery catalogues a copy locked by a process that died before cataloguing it.
/// </param>
public sealed record Delivery(
    SourceKind Kind,
    string Actor,
    string OriginalName,
    string? OriginalPath = null,
    string? StationId = null,
    DateTimeOffset? FileModifiedAt = null,
    string? DeviceSerial = null,
    string? OfficerId = null,
    string? UnitCode = null,
    DateTimeOffset? RecorderStartedAt = null,
    int? RecorderClockOffsetSeconds = null,
    bool Important = false,
    string? CaseCode = null,
    string? ClaimedSha256 = null,
    string? ClaimedMd5 = null,
    string? ContentType = null,
    Guid? ApiKeyId = null,
    Guid? DerivativeOf = null);
