namespace Enforcement.Media.Storage.Cases;

/// <summary>Interval arithmetic for completeness: how much of a window the footage covers, and where it does not.</summary>
public static class Coverage
{
    /// <summary>The union of the spans, clipped to the window, as disjoint sorted intervals.</summary>
    public static IReadOnlyList<(DateTimeOffset From, DateTimeOffset To)> Union(IEnumerable<RecordingSpan> spans, DateTimeOffset from, DateTimeOffset to)
    {
        var merged = new List<(DateTimeOffset From, DateTimeOffset To)>();
        foreach (var span in spans.Where(s => s.End > from && s.Start < to).OrderBy(s => s.Start))
        {
            var start = span.Start < from ? from : span.Start;
            var end = span.End > to ? to : span.End;
            if (merged.Count > 0 && start <= merged[^1].To)
            {
                merged[^1] = (merged[^1].From, end > merged[^1].To ? end : merged[^1].To);
            }
            else
            {
                merged.Add((start, end));
            }
        }

        return merged;
    }

    /// <summary>Window parts not covered by any span, longer than <paramref name="threshold"/>.</summary>
    public static IReadOnlyList<CoverageGap> Gaps(IReadOnlyList<RecordingSpan> spans, DateTimeOffset from, DateTimeOffset to, TimeSpan threshold)
    {
        var gaps = new List<CoverageGap>();
        var cursor = from;
        foreach (var (start, end) in Union(spans, from, to))
        {
            if (start - cursor > threshold)
            {
                gaps.Add(Explain(spans, cursor, start));
            }

            cursor = end > cursor ? end : cursor;
        }

        if (to - cursor > threshold)
        {
            gaps.Add(Explain(spans, cursor, to));
        }

        return gaps;
    }

    public static TimeSpan Covered(IEnumerable<RecordingSpan> spans, DateTimeOffset from, DateTimeOffset to) =>
        Union(spans, from, to).Aggregate(TimeSpan.Zero, (total, interval) => total + (interval.To - interval.From));

    /// <summary>
    /// Names the cause when one recorder's footage ends right at the gap and the same recorder's next
    /// file starts right after it: a split file is missing from that recorder's run.
    /// </summary>
    private static CoverageGap Explain(IReadOnlyList<RecordingSpan> spans, DateTimeOffset from, DateTimeOffset to)
    {
        var closeEnough = TimeSpan.FromSeconds(2);
        foreach (var before in spans.Where(s => s.DeviceSerial is not null && (s.End - from).Duration() <= closeEnough))
        {
            var after = spans.FirstOrDefault(s => s.DeviceSerial == before.DeviceSerial && (s.Start - to).Duration() <= closeEnough);
            if (after is not null)
            {
                return new CoverageGap(from, to, $"missing file in the run of recorder {before.DeviceSerial}: nothing between {before.OriginalName} and {after.OriginalName}", before.DeviceSerial, before.OriginalName, after.OriginalName);
            }
        }

        return new CoverageGap(from, to, "no footage");
    }
}
