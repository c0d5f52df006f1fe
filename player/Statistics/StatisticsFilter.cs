using System.Globalization;
using Enforcement.Media.Player.Filters;

namespace Enforcement.Media.Player.Statistics;

/// <summary>
/// What the statistics cover, read and checked (the unit's existence and whether the caller may see it are
/// checked against the catalogue by <see cref="StatisticsService"/>). Each given filter narrows; none widens
/// what the caller may see.
/// </summary>
/// <param name="Period">Local calendar days, both ends included.</param>
/// <param name="Unit">A unit code: that unit and, with <paramref name="Subunits"/>, every unit under it; null for the caller's own unit.</param>
/// <param name="Subunits">False: the unit alone (the drill-down of a unit's own group).</param>
/// <param name="Officer">The officer id (警号), exactly.</param>
/// <param name="Recorder">The recorder's device serial, exactly.</param>
/// <param name="GroupBy">One of <see cref="Groupings"/>.</param>
public sealed record StatisticsFilter(StatisticsPeriod Period, string? Unit, bool Subunits, string? Officer, string? Recorder, string GroupBy)
{
    public const string ByUnit = "unit";
    public const string ByOfficer = "officer";
    public const string ByRecorder = "recorder";
    public const string ByDay = "day";
    public const string ByMonth = "month";

    public const int MaxTextLength = 200;

    /// <summary>The days shown when none are asked for: the last 30, today included.</summary>
    public const int DefaultDays = 30;

    /// <summary>At most ten years at once; a day's group each for at most a year (366 bars are already too many to read).</summary>
    public const int MaxDays = 3660;

    public const int MaxDaysByDay = 366;

    public static readonly IReadOnlyList<string> Groupings = [ByUnit, ByOfficer, ByRecorder, ByDay, ByMonth];

    /// <summary>Reads the query, refusing (naming the parameter) what is not valid; days are of <paramref name="zone"/>, today by <paramref name="now"/>.</summary>
    public static StatisticsFilter Parse(StatisticsInput input, TimeZoneInfo zone, DateTimeOffset now)
    {
        var today = StatisticsPeriod.Today(zone, now);
        var to = Day(input.To, "to") ?? today;
        var from = Day(input.From, "from") ?? to.AddDays(1 - DefaultDays);
        if (from > to)
        {
            throw StatisticsRefusedException.Invalid("from", $"The from day ({StatisticsPeriod.DayText(from)}) is after the to day ({StatisticsPeriod.DayText(to)}): from is the first day counted and to the last.");
        }

        var period = new StatisticsPeriod(from, to, zone);
        if (period.DayCount > MaxDays)
        {
            throw StatisticsRefusedException.Invalid("to", $"At most {MaxDays} days at once; this asks for {period.DayCount}.");
        }

        var groupBy = GroupByOf(input.GroupBy);
        if (groupBy == ByDay && period.DayCount > MaxDaysByDay)
        {
            throw StatisticsRefusedException.Invalid("groupBy", $"Grouping by day covers at most {MaxDaysByDay} days; this asks for {period.DayCount}: group by month.");
        }

        return new StatisticsFilter(period, Text(input.Unit, "unit"), SubunitsOf(input.Subunits), Text(input.Officer, "officer"), Text(input.Recorder, "recorder"), groupBy);
    }

    private static DateOnly? Day(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return DateOnly.TryParseExact(value.Trim(), StatisticsPeriod.DayFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : throw StatisticsRefusedException.Invalid(field, $"The {field} day is a calendar day, yyyy-MM-dd (a day of the deployment's time zone).");
    }

    private static string GroupByOf(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return ByUnit;
        }

        var groupBy = value.Trim().ToLowerInvariant();
        return Groupings.Contains(groupBy)
            ? groupBy
            : throw StatisticsRefusedException.Invalid("groupBy", $"groupBy is one of {string.Join(", ", Groupings)}.");
    }

    private static bool SubunitsOf(string? value) =>
        SubunitsParameter.TryParse(value, out var subunits) ? subunits : throw StatisticsRefusedException.Invalid("subunits", SubunitsParameter.Meaning);

    private static string? Text(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var trimmed = value.Trim();
        return trimmed.Length <= MaxTextLength
            ? trimmed
            : throw StatisticsRefusedException.Invalid(field, $"The {field} filter is at most {MaxTextLength} characters.");
    }
}
