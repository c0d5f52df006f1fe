using System.Text;

namespace Enforcement.Media.Ingest.Media.Redactions;

/// <summary>
/// The publication watermark as drawtext filters: the text twice, top left and bottom right, so that
/// cropping one corner off does not remove it; white at 60 % opacity with a dark outline, visible on
/// any picture; sized to the picture and shrunk until the text fits its width. Drawn literally
/// (<c>expansion=none</c>: no <c>%{…}</c> is expanded), in the configured font.
/// </summary>
public static class Watermark
{
    /// <summary>Control characters (a line break would move the text) become spaces; the ends are trimmed.</summary>
    public static string Normalise(string text)
    {
        var normalised = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            normalised.Append(char.IsControl(c) ? ' ' : c);
        }

        return normalised.ToString().Trim();
    }

    /// <summary>The filters, comma-separated, for a picture of <paramref name="width"/> × <paramref name="height"/>.</summary>
    public static string Filters(string text, string fontFile, int width, int height)
    {
        var size = FontSize(text, width, height);
        var margin = Math.Max(4, size / 2);
        var outline = Math.Max(1, size / 16);
        string Draw(string x, string y) => FilterText.Filter(
            "drawtext",
            ("fontfile", fontFile),
            ("text", text),
            ("expansion", "none"),
            ("fontsize", FilterText.Number(size)),
            ("fontcolor", "white@0.6"),
            ("borderw", FilterText.Number(outline)),
            ("bordercolor", "black@0.6"),
            ("x", x),
            ("y", y));
        return $"{Draw(FilterText.Number(margin), FilterText.Number(margin))},{Draw($"w-tw-{FilterText.Number(margin)}", $"h-th-{FilterText.Number(margin)}")}";
    }

    /// <summary>
    /// A sixteenth of the shorter side, smaller when the text would be wider than 90 % of the picture
    /// (CJK characters are about one em wide, others about 0.6).
    /// </summary>
    public static int FontSize(string text, int width, int height)
    {
        var ems = text.Sum(c => IsWide(c) ? 1.0 : 0.6);
        var size = Math.Min(height, width) / 16.0;
        if (ems > 0)
        {
            size = Math.Min(size, 0.9 * width / ems);
        }

        return Math.Max(8, (int)size);
    }

    private static bool IsWide(char c) => c is >= '\u1100' and <= '\u115F' or >= '\u2E80' and <= '\uA4CF' or >= '\uAC00' and <= '\uD7A3' or >= '\uF900' and <= '\uFAFF' or >= '\uFF00' and <= '\uFF60';
}
