using System.Globalization;
using System.Net;
using System.Text;

namespace Enforcement.Media.Player.Statistics;

/// <summary>
/// What the server-rendered charts share: text made safe for SVG inside HTML, its width estimated without a
/// browser (a CJK character is about one em wide, a Latin one about 0.6 em), numbers written invariantly (a
/// comma decimal would break an SVG length), and round axis maxima.
/// </summary>
public static class SvgText
{
    /// <summary>The font of chart text: the page's, named again so that a chart saved or printed alone still shows Chinese.</summary>
    public const string FontFamily = "system-ui, 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif";

    public const double FontSize = 12;

    /// <summary>
    /// Begins a chart: the <c>svg</c> element (sized, its text in <see cref="FontFamily"/>, labelled by its title
    /// and description for assistive technology), the title and description, and the title shown as a caption.
    /// </summary>
    public static StringBuilder Open(string kind, string id, double width, double height, string title, string description)
    {
        var svg = new StringBuilder();
        var (w, h, key) = (Number(width), Number(height), Escape(id));
        svg.Append(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" class="chart {kind}" data-testid="chart-{key}" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="group" aria-labelledby="{key}-title {key}-desc" font-family="{FontFamily}" font-size="{Number(FontSize)}">""");
        svg.Append(CultureInfo.InvariantCulture, $"""<title id="{key}-title">{Escape(title)}</title><desc id="{key}-desc">{Escape(description)}</desc>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="0" y="16" font-size="14" font-weight="600" fill="#1d2430">{Escape(title)}</text>""");
        return svg;
    }

    /// <summary>A bar or point's mark: a link to its list, named by its label and value, when it has one.</summary>
    public static string Linked(string mark, ChartBar bar) =>
        bar.Link is null ? mark : $"""<a href="{Escape(bar.Link)}" aria-label="{Escape(bar.Label)}: {Escape(bar.ValueText)}">{mark}</a>""";

    /// <summary>Text as SVG element content or an attribute value (both are escaped alike).</summary>
    public static string Escape(string text) => WebUtility.HtmlEncode(text);

    /// <summary>A length or coordinate: invariant, at most one decimal.</summary>
    public static string Number(double value) => Math.Round(value, 1).ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>About how wide <paramref name="text"/> is at <see cref="FontSize"/>, in pixels.</summary>
    public static double Width(string text) => text.Sum(c => c >= '\u2E80' ? 1.0 : 0.6) * FontSize;

    /// <summary><paramref name="text"/> cut to fit <paramref name="maxWidth"/>, ending in an ellipsis when cut (the whole text is in the bar's title).</summary>
    public static string Fit(string text, double maxWidth)
    {
        if (Width(text) <= maxWidth)
        {
            return text;
        }

        var cut = text;
        while (cut.Length > 0 && Width(cut + "…") > maxWidth)
        {
            cut = cut[..^1];
        }

        return cut + "…";
    }

    /// <summary>The least of 1, 2 or 5 times a power of ten not below <paramref name="value"/> (1 for nothing): an axis that ends on a round number.</summary>
    public static double NiceMaximum(double value)
    {
        if (value <= 0)
        {
            return 1;
        }

        var power = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (var step in new[] { 1.0, 2.0, 5.0, 10.0 })
        {
            if (step * power >= value)
            {
                return step * power;
            }
        }

        return 10 * power;
    }
}
