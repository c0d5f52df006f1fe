using System.Globalization;

namespace Enforcement.Media.Player.Ledger;

/// <summary>Seconds of media time watched, <paramref name="From"/> to <paramref name="To"/>.</summary>
public sealed record WatchedSpan(double From, double To)
{
    /// <summary>As the ledger shows it: <c>00:00:03–00:00:12</c> (whole seconds, outward).</summary>
    public override string ToString() => $"{Clock(Math.Floor(From))}–{Clock(Math.Ceiling(To))}";

    /// <summary>Overlapping or touching spans merged, in order.</summary>
    public static IReadOnlyList<WatchedSpan> Merge(IEnumerable<WatchedSpan> spans)
    {
        var merged = new List<WatchedSpan>();
        foreach (var span in spans.OrderBy(s => s.From))
        {
            if (merged.Count > 0 && span.From <= merged[^1].To)
            {
                merged[^1] = merged[^1] with { To = Math.Max(merged[^1].To, span.To) };
            }
            else
            {
                merged.Add(span);
            }
        }

        return merged;
    }

    private static string Clock(double seconds)
    {
        var time = TimeSpan.FromSeconds(seconds);
        return string.Create(CultureInfo.InvariantCulture, $"{(long)time.TotalHours:00}:{time.Minutes:00}:{time.Seconds:00}");
    }
}
