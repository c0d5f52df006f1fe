using System.Globalization;

namespace Enforcement.Media.Player.Statistics;

/// <summary>
/// The calendar days the statistics cover, <paramref name="From"/> through <paramref name="To"/>, as days of
/// <paramref name="Zone"/>: the one place where a local day becomes the instants that bound it. The
/// catalogue keeps every time in UTC; counting by the local calendar needs both ends of each day in UTC, and
/// SQL grouping by local day (<c>AT TIME ZONE</c>) uses the same zone by its IANA name.
/// </summary>
public sealed record StatisticsPeriod(DateOnly From, DateOnly To, TimeZoneInfo Zone)
{
    public const string DayFormat = "yyyy-MM-dd";

    public const string MonthFormat = "yyyy-MM";

    /// <summary>The first instant of <see cref="From"/>.</summary>
    public DateTimeOffset Start => StartOf(From);

    /// <summary>The first instant after <see cref="To"/> (exclusive).</summary>
    public DateTimeOffset End => StartOf(To.AddDays(1));

    public int DayCount => To.DayNumber - From.DayNumber + 1;

    /// <summary>The zone's name as PostgreSQL knows it (IANA), for <c>AT TIME ZONE</c>.</summary>
    public string ZoneName => Zone.Id;

    /// <summary>Today in <paramref name="zone"/>.</summary>
    public static DateOnly Today(TimeZoneInfo zone, DateTimeOffset now) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);

    /// <summary>
    /// The first instant of <paramref name="day"/> in the zone: its midnight; where a zone's clocks skip midnight
    /// (daylight saving starting at 00:00), the first minute that exists; where midnight comes twice (saving
    /// ending at 01:00), the first of the two.
    /// </summary>
    public DateTimeOffset StartOf(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (Zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        var offset = Zone.IsAmbiguousTime(local) ? Zone.GetAmbiguousTimeOffsets(local).Max() : Zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }

    /// <summary>Every day of the period, in order.</summary>
    public IEnumerable<DateOnly> Days() => Enumerable.Range(0, DayCount).Select(From.AddDays);

    /// <summary>The first day of every month the period touches, in order.</summary>
    public IEnumerable<DateOnly> Months()
    {
        for (var month = new DateOnly(From.Year, From.Month, 1); month <= To; month = month.AddMonths(1))
        {
            yield return month;
        }
    }

    /// <summary>The part of this period in the day or month a group key names (<c>yyyy-MM-dd</c> or <c>yyyy-MM</c>); null for another key.</summary>
    public StatisticsPeriod? Narrowed(string key)
    {
        if (DateOnly.TryParseExact(key, DayFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day >= From && day <= To ? this with { From = day, To = day } : null;
        }

        if (DateOnly.TryParseExact(key + "-01", DayFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var month))
        {
            var first = month < From ? From : month;
            var last = month.AddMonths(1).AddDays(-1) is var end && end > To ? To : end;
            return first <= last ? this with { From = first, To = last } : null;
        }

        return null;
    }

    public static string DayText(DateOnly day) => day.ToString(DayFormat, CultureInfo.InvariantCulture);

    public static string MonthText(DateOnly month) => month.ToString(MonthFormat, CultureInfo.InvariantCulture);
}
