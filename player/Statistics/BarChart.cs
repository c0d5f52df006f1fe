using System.Globalization;
using Microsoft.AspNetCore.Html;

namespace Enforcement.Media.Player.Statistics;

/// <summary>
/// A horizontal bar chart drawn on the server as inline SVG: one row a bar, its label on the left (long unit
/// names and Chinese read better across than down), the bar, its value at the end. No script and nothing
/// fetched, so it obeys the page's Content-Security-Policy and prints as drawn; the chart shows its title and
/// carries it with a description for assistive technology, each bar carries its label and value as a title, and
/// a bar with a list behind it is a link to that list.
/// </summary>
public sealed class BarChart(string title, string description, IReadOnlyList<ChartBar> bars)
{
    public const double Width = 560;

    private const double RowHeight = 22;
    private const double BarHeight = 14;
    private const double Caption = 24;
    private const double Top = Caption + 8;
    private const double MaxLabelWidth = 200;
    private const double ValueWidth = 80;

    /// <summary>The chart as inline SVG; <paramref name="id"/> makes its title and description ids unique on the page.</summary>
    public HtmlString Render(string id)
    {
        var labelWidth = Math.Min(MaxLabelWidth, bars.Select(b => SvgText.Width(b.Label)).DefaultIfEmpty(0).Max() + 8);
        var plotWidth = Width - labelWidth - ValueWidth;
        var maximum = SvgText.NiceMaximum(bars.Select(b => b.Value).DefaultIfEmpty(0).Max());
        var height = Top + 8 + Math.Max(1, bars.Count) * RowHeight;
        var svg = SvgText.Open("bar-chart", id, Width, height, title, description);
        svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{SvgText.Number(labelWidth)}" y1="{SvgText.Number(Top)}" x2="{SvgText.Number(labelWidth)}" y2="{SvgText.Number(height - 8)}" stroke="#5b6575" stroke-width="1"/>""");
        for (var i = 0; i < bars.Count; i++)
        {
            var bar = bars[i];
            var y = Top + i * RowHeight;
            var length = plotWidth * Math.Clamp(bar.Value / maximum, 0, 1);
            var middle = y + RowHeight / 2;
            svg.Append(CultureInfo.InvariantCulture, $"""<g class="bar" data-value="{SvgText.Number(bar.Value)}"><title>{SvgText.Escape(bar.Label)}: {SvgText.Escape(bar.ValueText)}</title>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{SvgText.Number(labelWidth - 6)}" y="{SvgText.Number(middle)}" text-anchor="end" dominant-baseline="middle" fill="#1d2430">{SvgText.Escape(SvgText.Fit(bar.Label, labelWidth - 8))}</text>""");
            var rect = $"""<rect x="{SvgText.Number(labelWidth)}" y="{SvgText.Number(y + (RowHeight - BarHeight) / 2)}" width="{SvgText.Number(length)}" height="{SvgText.Number(BarHeight)}" fill="#1f5fbf"/>""";
            var value = $"""<text x="{SvgText.Number(labelWidth + length + 6)}" y="{SvgText.Number(middle)}" dominant-baseline="middle" fill="#1d2430">{SvgText.Escape(bar.ValueText)}</text>""";
            svg.Append(SvgText.Linked(rect + value, bar));
            svg.Append("</g>");
        }

        svg.Append("</svg>");
        return new HtmlString(svg.ToString());
    }
}
