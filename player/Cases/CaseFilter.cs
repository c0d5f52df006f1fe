namespace Enforcement.Media.Player.Cases;

/// <summary>
/// What a reviewer searches cases by. Blank fields do not filter. <paramref name="From"/> and
/// <paramref name="To"/> are UTC days: a case matches when it was open on any day of the range.
/// </summary>
public sealed record CaseFilter(string? CaseNumber, string? Officer, string? DeviceSerial, DateOnly? From, DateOnly? To)
{
    public bool IsEmpty => CaseNumber is null && Officer is null && DeviceSerial is null && From is null && To is null;
}
