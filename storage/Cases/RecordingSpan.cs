namespace Enforcement.Media.Storage.Cases;

/// <summary>
/// When a recording ran, in true time: the recorder's start corrected by the station-measured
/// clock offset, plus the probed duration (a photo is a single instant).
/// </summary>
public sealed record RecordingSpan(Guid RecordingId, string OriginalName, string? DeviceSerial, string? OfficerId, DateTimeOffset Start, DateTimeOffset End)
{
    public bool Overlaps(DateTimeOffset from, DateTimeOffset to, TimeSpan slack) => Start - slack <= to && End + slack >= from;
}
