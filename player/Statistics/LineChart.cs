using System.Globalization;
using Microsoft.AspNetCore.Html;

namespace Enforcement.Media.Player.Statistics;

/// <summary>
/// A line chart of a series over days or months, drawn on the server as inline SVG like <see cref="BarChart"/>:
/// a round axis with its maximum and half marked, the line, and a point for every day or month (a link to its
/// list, titled with its label and value). Labels along the bottom are thinned to at most eight so that short ones
/// (<c>03-02</c>, <c>2026-03</c>) never overlap.
/// </summary>
public sealed class LineChart(string title, string description, IReadOnlyList<ChartBar> points)
{
    public const double Width = 560;

    private const double Height = 244;
    private const double Left = 56;
    private const double Right = 16;
    private const double Top = 36;
    private const double Bottom = 28;
    private const int MaxLabels = 8;

    public HtmlString Render(string id)
    {
        var maximum = SvgText.NiceMaximum(points.Select(p => p.Value).DefaultIfEmpty(0).Max());
        var plotWidth = Width - Left - Right;
        var plotHeight = Height - Top - Bottom;
        double X(int i) => Left + (points.Count <= 1 ? plotWidth / 2 : plotWidth * i / (points.Count - 1));
        double Y(double value) => Top + plotHeight * (1 - Math.Clamp(value / maximum, 0, 1));

        var svg = SvgText.Open("line-chart", id, Width, Height, title, description);
        foreach (var tick in new[] { 0, maximum / 2, maximum })
        {
            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{SvgText.Number(Left)}" y1="{SvgText.Number(Y(tick))}" x2="{SvgText.Number(Width - Right)}" y2="{SvgText.Number(Y(tick))}" stroke="{(tick == 0 ? "#5b6575" : "#d9dee7")}" stroke-width="1"/>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{SvgText.Number(Left - 6)}" y="{SvgText.Number(Y(tick))}" text-anchor="end" dominant-baseline="middle" fill="#5b6575">{SvgText.Number(tick)}</text>""");
        }

        if (points.Count > 1)
        {
            var line = string.Join(' ', points.Select((p, i) => $"{SvgText.Number(X(i))},{SvgText.Number(Y(p.Value))}"));
            svg.Append(CultureInfo.InvariantCulture, $"""<polyline points="{line}" fill="none" stroke="#1f5fbf" stroke-width="2"/>""");
        }

        var every = Math.Max(1, (int)Math.Ceiling(points.Count / (double)MaxLabels));
        for (var i = 0; i < points.Count; i++)
        {
            var point = points[i];
            var dot = $"""<circle cx="{SvgText.Number(X(i))}" cy="{SvgText.Number(Y(point.Value))}" r="3.5" fill="#1f5fbf"/>""";
            svg.Append(CultureInfo.InvariantCulture, $"""<g class="point" data-value="{SvgText.Number(point.Value)}"><title>{SvgText.Escape(point.Label)}: {SvgText.Escape(point.ValueText)}</title>""");
            svg.Append(SvgText.Linked(dot, point));
            svg.Append("</g>");
            if (i % every == 0)
            {
                svg.Append(CultureInfo.InvariantCulture, $"""<text x="{SvgText.Number(X(i))}" y="{SvgText.Number(Height - 8)}" text-anchor="middle" fill="#5b6575">{SvgText.Escape(point.Label)}</text>""");
            }
        }

        svg.Append("</svg>");
        return new HtmlString(svg.ToString());
    }
}
