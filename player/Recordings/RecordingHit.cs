namespace Enforcement.Media.Player.Recordings;

/// <summary>
/// One recording found by the search: what tells footage apart in a list, none of it footage.
/// </summary>
/// <param name="StartedAt">
/// When the recording started: the recorder's own start time, or — when the recorder reported none — when it
/// was ingested (<paramref name="StartSource"/> says which). The search filters and orders by this time.
/// </param>
/// <param name="StartSource"><c>recorder</c> or <c>ingest</c>.</param>
/// <param name="DurationSeconds">From the probe; null until the recording is probed, or when unplayable.</param>
/// <param name="MediaState"><c>unprobed</c>, <c>probed</c> or <c>unplayable</c>.</param>
/// <param name="Quarantined">The delivery could not be verified (the bytes are kept and shown with the reason).</param>
/// <param name="CaseNumbers">The cases it is linked to now, as the recording page lists them.</param>
public sealed record RecordingHit(
    Guid RecordingId,
    string OriginalName,
    string? OfficerId,
    string? DeviceSerial,
    string? UnitCode,
    DateTimeOffset StartedAt,
    string StartSource,
    double? DurationSeconds,
    long SizeBytes,
    string Sha256,
    string MediaState,
    bool Quarantined,
    string Classification,
    IReadOnlyList<string> CaseNumbers);
