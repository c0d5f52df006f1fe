namespace Enforcement.Media.Player.Cases;

/// <summary>
/// What a reviewer searches cases by. Blank fields do not filter. <paramref name="From"/> (inclusive) and
/// <paramref name="To"/> (exclusive) are the edges of the days typed, in the display time zone: a case
/// matches when it was open at any moment of them.
/// </summary>
public sealed record CaseFilter(string? CaseNumber, string? Officer, string? DeviceSerial, DateTimeOffset? From, DateTimeOffset? To)
{
    public bool IsEmpty => CaseNumber is null && Officer is null && DeviceSerial is null && From is null && To is null;
}
