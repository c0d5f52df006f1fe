using Enforcement.Media.Player.Cases;

namespace Enforcement.Media.Tests.Player.Pages;

public sealed class TimelineScaleTests
{
    private static readonly DateTimeOffset Nine = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Spans_are_placed_in_proportion_to_the_whole_shown_time()
    {
        var scale = new TimelineScale([(Nine, Nine.AddMinutes(30)), (Nine.AddMinutes(-10), Nine.AddMinutes(10))]);

        Assert.Equal(Nine.AddMinutes(-10), scale.Start);
        Assert.Equal(25, scale.LeftPercent(Nine), 6);
        Assert.Equal(75, scale.WidthPercent(Nine, Nine.AddMinutes(30)), 6);
        Assert.Equal("left:25%;width:75%", scale.Style(Nine, Nine.AddMinutes(30)));
    }

    [Fact]
    public void An_instant_still_shows_and_stays_inside_the_track()
    {
        var scale = new TimelineScale([(Nine, Nine.AddMinutes(10))]);

        Assert.Equal("left:99.4%;width:0.6%", scale.Style(Nine.AddMinutes(10), Nine.AddMinutes(10)));
        Assert.Equal("left:0%;width:0.6%", scale.Style(Nine, Nine));
    }

    [Fact]
    public void Percentages_use_a_decimal_point_whatever_the_culture()
    {
        var culture = System.Globalization.CultureInfo.CurrentCulture;
        System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
        try
        {
            var scale = new TimelineScale([(Nine, Nine.AddSeconds(3))]);
            Assert.Equal("left:33.333%;width:33.333%", scale.Style(Nine.AddSeconds(1), Nine.AddSeconds(2)));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = culture;
        }
    }

    [Fact]
    public void A_timeline_without_spans_is_a_programming_error()
    {
        Assert.Throws<ArgumentException>(() => new TimelineScale([]));
    }
}
