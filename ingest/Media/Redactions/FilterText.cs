using System.Buffers;
using System.Globalization;
using System.Text;

namespace Enforcement.Media.Ingest.Media.Redactions;

/// <summary>
/// Writing values into an ffmpeg filter graph. A value is unquoted twice (ffmpeg-filters, "Notes on
/// filtergraph escaping"): once when the graph is split into filters (where <c>\ ' [ ] , ;</c> are
/// special) and once when a filter's arguments are split into options (<c>\ ' :</c>); both levels
/// trim unescaped whitespace at the ends. Text from people (a watermark) goes through both levels;
/// the expressions we generate only need the graph level.
/// </summary>
public static class FilterText
{
    private const string OptionSpecials = "\\':";
    private const string GraphSpecials = "\\'[],;";
    private static readonly SearchValues<char> OptionSpecial = SearchValues.Create(OptionSpecials);
    private static readonly SearchValues<char> GraphSpecial = SearchValues.Create(GraphSpecials);

    /// <summary>One option value, written so that the filter receives exactly <paramref name="raw"/>.</summary>
    public static string Value(string raw)
    {
        var trimmedEnds = raw.Length == 0 || (!char.IsWhiteSpace(raw[0]) && !char.IsWhiteSpace(raw[^1]));
        if (trimmedEnds && raw.AsSpan().IndexOfAny(OptionSpecial) < 0)
        {
            // Readable where it can be: only commas and brackets to protect, so quote at the graph level.
            return raw.AsSpan().IndexOfAny(GraphSpecial) < 0 ? raw : $"'{raw}'";
        }

        return Escape(Escape(raw, OptionSpecials), GraphSpecials);
    }

    /// <summary><c>name=key=value:key=value</c> with each value written by <see cref="Value"/>.</summary>
    public static string Filter(string name, params (string Key, string Value)[] options) =>
        options.Length == 0 ? name : $"{name}={string.Join(':', options.Select(o => $"{o.Key}={Value(o.Value)}"))}";

    /// <summary>A number as ffmpeg's expression parser reads it: invariant, no exponent, at most microsecond precision.</summary>
    public static string Number(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);

    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Escape(string raw, string specials)
    {
        var text = new StringBuilder(raw.Length + 8);
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            var atEnd = i == 0 || i == raw.Length - 1;
            if (specials.Contains(c, StringComparison.Ordinal) || (atEnd && char.IsWhiteSpace(c)))
            {
                text.Append('\\');
            }

            text.Append(c);
        }

        return text.ToString();
    }
}
