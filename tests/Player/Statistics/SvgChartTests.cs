using System.Globalization;
using System.Xml.Linq;
using Enforcement.Media.Player.Statistics;

namespace Enforcement.Media.Tests.Player.Statistics;

/// <summary>The server-drawn charts: well-formed SVG, one bar or point a value in proportion, titled, linked, Chinese kept and hostile text inert.</summary>
public sealed class SvgChartTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void A_bar_chart_draws_one_linked_titled_bar_a_value_in_proportion_to_a_round_maximum()
    {
        var chart = Parse(new BarChart("音视频数量", "按单位", [
            new ChartBar("西湖区大队", 30, "30", "/recordings?unit=A"),
            new ChartBar("上城区大队", 15, "15", "/recordings?unit=B"),
            new ChartBar("本级", 0, "0"),
        ]).Render("recordings").Value!);

        Assert.Equal("音视频数量", chart.Element(Svg + "title")!.Value);
        Assert.Equal("按单位", chart.Element(Svg + "desc")!.Value);
        Assert.Equal("recordings-title recordings-desc", chart.Attribute("aria-labelledby")!.Value);
        var bars = chart.Descendants(Svg + "g").Where(g => g.Attribute("class")?.Value == "bar").ToList();
        Assert.Equal(3, bars.Count);
        Assert.Equal(["西湖区大队: 30", "上城区大队: 15", "本级: 0"], bars.Select(b => b.Element(Svg + "title")!.Value));
        var widths = bars.Select(b => double.Parse(b.Descendants(Svg + "rect").Single().Attribute("width")!.Value, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(widths[0] / 2, widths[1], 1); // 30 and 15 of an axis ending at 50
        Assert.Equal(0, widths[2]);
        Assert.Equal(["/recordings?unit=A", "/recordings?unit=B"], chart.Descendants(Svg + "a").Select(a => a.Attribute("href")!.Value));
        Assert.Contains("西湖区大队", chart.Descendants(Svg + "text").Select(t => t.Value));
    }

    [Fact]
    public void A_line_chart_has_a_point_for_every_day_and_at_most_ten_labels_along_the_bottom()
    {
        var days = Enumerable.Range(1, 31).Select(d => new ChartBar($"03-{d:00}", d % 7, (d % 7).ToString(CultureInfo.InvariantCulture), $"/recordings?day={d}")).ToList();

        var chart = Parse(new LineChart("每日音视频", "按日", days).Render("daily").Value!);

        Assert.Equal(31, chart.Descendants(Svg + "circle").Count());
        Assert.Single(chart.Descendants(Svg + "polyline"));
        var labels = chart.Descendants(Svg + "text").Where(t => t.Attribute("text-anchor")?.Value == "middle").ToList();
        Assert.InRange(labels.Count, 1, 8);
        Assert.Equal("03-01", labels[0].Value);
        Assert.Equal(31, chart.Descendants(Svg + "a").Count());
    }

    [Fact]
    public void Text_is_text_never_markup_and_numbers_use_a_decimal_point_whatever_the_culture()
    {
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo("de-DE");
        try
        {
            var svg = new BarChart("<script>alert(1)</script>", "\"quoted\" & more", [new ChartBar("</text><script>x</script>", 2.5, "2,5 <b>", "/x?a=1&b=\"2\"")]).Render("x\"y").Value!;

            var chart = Parse(svg);
            Assert.DoesNotContain("<script", svg, StringComparison.Ordinal);
            Assert.Empty(chart.Descendants(Svg + "script"));
            Assert.Equal("<script>alert(1)</script>", chart.Element(Svg + "title")!.Value);
            Assert.Equal("/x?a=1&b=\"2\"", chart.Descendants(Svg + "a").Single().Attribute("href")!.Value);
            Assert.All(chart.Descendants(Svg + "rect"), r => Assert.DoesNotContain(",", r.Attribute("width")!.Value, StringComparison.Ordinal));
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    [Fact]
    public void Nothing_to_draw_is_still_a_well_formed_titled_chart()
    {
        var bars = Parse(new BarChart("无数据", "空", []).Render("empty").Value!);
        var line = Parse(new LineChart("无数据", "空", []).Render("empty-line").Value!);

        Assert.Equal("无数据", bars.Element(Svg + "title")!.Value);
        Assert.Empty(bars.Descendants(Svg + "rect"));
        Assert.Empty(line.Descendants(Svg + "circle"));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(3, 5)]
    [InlineData(10, 10)]
    [InlineData(11, 20)]
    [InlineData(0.3, 0.5)]
    [InlineData(1999, 2000)]
    public void An_axis_ends_on_one_two_or_five_times_a_power_of_ten(double largest, double axis) =>
        Assert.Equal(axis, SvgText.NiceMaximum(largest), 9);

    /// <summary>The chart as XML: HTML entities aside, inline SVG written by the charts must be well-formed XML.</summary>
    private static XElement Parse(string svg) => XElement.Parse(svg);
}
