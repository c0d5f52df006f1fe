namespace Enforcement.Media.Ingest.Docks;

/// <summary>
/// What a station's sidecar says about one file; null where it says nothing (or said something
/// unreadable). See <see cref="StationSidecar"/> for the JSON format.
/// </summary>
/// <param name="RecorderStartedAt">The recording's start, in UTC, by the recorder's clock.</param>
/// <param name="ClockOffsetSeconds">Station clock minus recorder clock, as the station measured it.</param>
public sealed record SidecarValues(
    string? Sha256 = null,
    string? Md5 = null,
    string? DeviceSerial = null,
    string? OfficerId = null,
    string? UnitCode = null,
    DateTimeOffset? RecorderStartedAt = null,
    int? ClockOffsetSeconds = null,
    string? CaseCode = null,
    bool? Important = null)
{
    public static SidecarValues None { get; } = new();

    /// <summary>These values, with <paramref name="fallback"/>'s where these say nothing.</summary>
    public SidecarValues Over(SidecarValues fallback) => new(
        Sha256 ?? fallback.Sha256,
        Md5 ?? fallback.Md5,
        DeviceSerial ?? fallback.DeviceSerial,
        OfficerId ?? fallback.OfficerId,
        UnitCode ?? fallback.UnitCode,
        RecorderStartedAt ?? fallback.RecorderStartedAt,
        ClockOffsetSeconds ?? fallback.ClockOffsetSeconds,
        CaseCode ?? fallback.CaseCode,
        Important ?? fallback.Important);
}
