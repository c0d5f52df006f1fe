namespace Enforcement.Media.Storage.Recorders;

/// <summary>
/// A recorder as the register shows it: what a manager entered, who holds it now, and what its deliveries
/// say — the recordings catalogued under its serial, its first and last docking (dock and station
/// deliveries) and the clock offset measured at the last docking that measured one (station clock minus
/// recorder clock, seconds).
/// </summary>
public sealed record RecorderRecord(
    string Serial,
    string? Model,
    string UnitCode,
    string Status,
    string? Notes,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset UpdatedAt,
    string UpdatedBy,
    string? CurrentOfficerId,
    DateTimeOffset? CurrentSince,
    long Recordings,
    DateTimeOffset? FirstDockedAt,
    DateTimeOffset? LastDockedAt,
    int? LastClockOffsetSeconds,
    DateTimeOffset? ClockMeasuredAt);
