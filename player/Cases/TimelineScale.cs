using System.Globalization;

namespace Enforcement.Media.Player.Cases;

/// <summary>
/// Places time spans on one activity's timeline as CSS percentages: the scale runs from the earliest
/// to the latest instant shown (the activity's window, its recordings and its gaps), so nothing is cut off.
/// A span too short to see (a photo is an instant) still gets a visible sliver.
/// </summary>
public sealed class TimelineScale
{
    private const double MinimumWidth = 0.6;
    private readonly DateTimeOffset _start;
    private readonly double _seconds;

    public TimelineScale(IEnumerable<(DateTimeOffset From, DateTimeOffset To)> spans)
    {
        var all = spans.ToList();
        if (all.Count == 0)
        {
            throw new ArgumentException("A timeline needs at least one span.", nameof(spans));
        }

        _start = all.Min(s => s.From);
        var end = all.Max(s => s.To);
        _seconds = Math.Max((end - _start).TotalSeconds, 1);
        End = end;
    }

    public DateTimeOffset Start => _start;

    public DateTimeOffset End { get; }

    public double LeftPercent(DateTimeOffset from) => Math.Clamp((from - _start).TotalSeconds / _seconds * 100, 0, 100);

    public double WidthPercent(DateTimeOffset from, DateTimeOffset to) => Math.Clamp((to - from).TotalSeconds / _seconds * 100, MinimumWidth, 100);

    /// <summary>The inline style for a bar (kept inside the track); invariant culture, since a decimal comma would break CSS.</summary>
    public string Style(DateTimeOffset from, DateTimeOffset to)
    {
        var width = WidthPercent(from, to);
        var left = Math.Min(LeftPercent(from), 100 - width);
        return string.Create(CultureInfo.InvariantCulture, $"left:{left:0.###}%;width:{width:0.###}%");
    }
}
