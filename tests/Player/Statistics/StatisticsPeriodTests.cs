using Enforcement.Media.Player.Statistics;

namespace Enforcement.Media.Tests.Player.Statistics;

/// <summary>Local calendar days to the instants that bound them, and the parts of a period a day or month group names.</summary>
public sealed class StatisticsPeriodTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    [Fact]
    public void A_day_in_China_runs_from_16_00_UTC_the_day_before()
    {
        var period = new StatisticsPeriod(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 3), Shanghai);

        Assert.Equal(new DateTimeOffset(2026, 2, 28, 16, 0, 0, TimeSpan.Zero), period.Start);
        Assert.Equal(new DateTimeOffset(2026, 3, 3, 16, 0, 0, TimeSpan.Zero), period.End);
        Assert.Equal(3, period.DayCount);
        Assert.Equal("Asia/Shanghai", period.ZoneName);
    }

    [Fact]
    public void Today_is_the_zones_day_not_UTCs()
    {
        Assert.Equal(new DateOnly(2026, 3, 2), StatisticsPeriod.Today(Shanghai, new DateTimeOffset(2026, 3, 1, 16, 0, 0, TimeSpan.Zero)));
        Assert.Equal(new DateOnly(2026, 3, 1), StatisticsPeriod.Today(Shanghai, new DateTimeOffset(2026, 3, 1, 15, 59, 59, TimeSpan.Zero)));
    }

    [Fact]
    public void Where_clocks_skip_midnight_a_day_starts_at_the_first_minute_that_exists_and_where_midnight_comes_twice_at_the_first()
    {
        var havana = TimeZoneInfo.FindSystemTimeZoneById("America/Havana"); // saving starts at 00:00 and ends at 01:00
        var period = new StatisticsPeriod(new DateOnly(2024, 3, 10), new DateOnly(2024, 11, 3), havana);

        Assert.Equal(new DateTimeOffset(2024, 3, 10, 5, 0, 0, TimeSpan.Zero), period.Start); // 01:00, UTC−4
        Assert.Equal(new DateTimeOffset(2024, 11, 3, 4, 0, 0, TimeSpan.Zero), period.StartOf(new DateOnly(2024, 11, 3))); // the first 00:00, UTC−4
    }

    [Fact]
    public void Days_and_months_list_every_one_the_period_touches_and_a_group_narrows_to_its_part()
    {
        var period = new StatisticsPeriod(new DateOnly(2026, 1, 30), new DateOnly(2026, 3, 2), Shanghai);

        Assert.Equal(32, period.Days().Count());
        Assert.Equal([new DateOnly(2026, 1, 1), new DateOnly(2026, 2, 1), new DateOnly(2026, 3, 1)], period.Months());
        Assert.Equal(period with { From = new DateOnly(2026, 1, 30), To = new DateOnly(2026, 1, 31) }, period.Narrowed("2026-01"));
        Assert.Equal(period with { From = new DateOnly(2026, 2, 1), To = new DateOnly(2026, 2, 28) }, period.Narrowed("2026-02"));
        Assert.Equal(period with { From = new DateOnly(2026, 3, 1), To = new DateOnly(2026, 3, 2) }, period.Narrowed("2026-03"));
        Assert.Equal(period with { From = new DateOnly(2026, 2, 14), To = new DateOnly(2026, 2, 14) }, period.Narrowed("2026-02-14"));
        Assert.Null(period.Narrowed("2026-04"));
        Assert.Null(period.Narrowed("2026-03-03"));
        Assert.Null(period.Narrowed("A100001"));
    }

    [Theory]
    [InlineData(null, null, "2026-02-01", "2026-03-02")]
    [InlineData("2026-02-20", null, "2026-02-20", "2026-03-02")]
    [InlineData(null, "2026-01-31", "2026-01-02", "2026-01-31")]
    [InlineData("2026-03-02", "2026-03-02", "2026-03-02", "2026-03-02")]
    public void Days_not_given_are_the_thirty_up_to_today(string? from, string? to, string first, string last)
    {
        var filter = StatisticsFilter.Parse(new StatisticsInput(from, to), Shanghai, new DateTimeOffset(2026, 3, 1, 20, 0, 0, TimeSpan.Zero)); // 2 March, local

        Assert.Equal(DateOnly.Parse(first, System.Globalization.CultureInfo.InvariantCulture), filter.Period.From);
        Assert.Equal(DateOnly.Parse(last, System.Globalization.CultureInfo.InvariantCulture), filter.Period.To);
        Assert.Equal(StatisticsFilter.ByUnit, filter.GroupBy);
        Assert.True(filter.Subunits);
    }
}
