using System.Text.Json;

namespace Enforcement.Media.Tests.Player.Statistics;

/// <summary>
/// What every figure of a group should be, counted in plain C# from the seeded records
/// (<see cref="StatisticsWorld.Seeded"/>) — how the test knows the answer without asking the statistics' SQL.
/// </summary>
public sealed record ExpectedFigures(
    long Recordings,
    double Hours,
    long Bytes,
    long Quarantined,
    long Measured,
    double? P50,
    double? P95,
    long Late,
    long LateRecorders,
    (long Activities, long Complete, long WithGaps, long Gaps)? Full,
    long Viewings,
    (long Asked, long Granted, long Refused, long Pending) Approvals,
    (long Requested, long Approved, long Denied, long Pending, long Downloaded) Exports,
    long Dispositions,
    (long Findings, long Mismatch, long Missing, long Unreadable) Fixity)
{
    public const double LateSeconds = 24 * 3600;

    /// <summary>
    /// The figures of the rows in a group: <paramref name="inGroup"/> is asked of a row's recording (unit, officer,
    /// device) and the time it is counted at; <paramref name="activityIn"/> of each activity (null: activities are
    /// not counted in this grouping). An export is the caller's only when every recording it names is of a unit the
    /// caller <paramref name="sees"/> (everyone's, unless given).
    /// </summary>
    public static ExpectedFigures Of(
        StatisticsWorld.Seeded seeded,
        Func<(string Unit, string Officer, string Device), DateTimeOffset, bool> inGroup,
        Func<StatisticsWorld.SeededActivity, bool>? activityIn,
        Func<string, bool>? sees = null)
    {
        bool Facts(Guid recording, DateTimeOffset at) => inGroup(seeded.RecordingFacts[recording], at);
        var recordings = seeded.Recordings.Where(r => inGroup((r.Unit, r.Officer, r.Device), r.Start)).ToList();
        var delays = recordings.Where(r => r.RecorderTime).Select(r => r.DelaySeconds!.Value).Order().ToList();
        var late = recordings.Where(r => r.DelaySeconds > LateSeconds).ToList();
        var activities = activityIn is null ? null : seeded.Activities.Where(activityIn).ToList();
        var approvals = seeded.Approvals.Where(a => Facts(a.RecordingId, a.At)).ToList();
        var exports = seeded.Exports
            .Where(x => x.Recordings.All(r => sees?.Invoke(seeded.RecordingFacts[r].Unit) ?? true) && x.Recordings.Any(r => Facts(r, x.At)))
            .ToList();
        var findings = seeded.Findings.Where(f => Facts(f.RecordingId, f.At)).ToList();
        return new ExpectedFigures(
            recordings.Count,
            recordings.Sum(r => r.Seconds) / 3600,
            recordings.Sum(r => r.Size),
            recordings.Count(r => r.Quarantined),
            delays.Count,
            Percentile(delays, 0.5),
            Percentile(delays, 0.95),
            late.Count,
            late.Select(r => r.Device.ToUpperInvariant()).Distinct().Count(),
            activities is null ? null : (activities.Count, activities.Count(a => a.Complete), activities.Count(a => a.Gaps > 0), activities.Sum(a => a.Gaps)),
            seeded.Viewings.Count(v => Facts(v.RecordingId, v.At)),
            (approvals.Count, approvals.Count(a => a.State == "approved"), approvals.Count(a => a.State == "denied"), approvals.Count(a => a.State == "requested")),
            (exports.Count, exports.Count(x => x.State == "approved"), exports.Count(x => x.State == "denied"), exports.Count(x => x.State == "requested"), exports.Count(x => x.Downloaded)),
            seeded.Dispositions.Count(d => inGroup((d.Unit, d.Officer, d.Device), d.At)),
            (findings.Count, findings.Count(f => f.Outcome == "mismatch"), findings.Count(f => f.Outcome == "missing"), findings.Count(f => f.Outcome == "unreadable")));
    }

    /// <summary>The continuous percentile (linear between the two nearest values), as statisticians define it; null of nothing.</summary>
    public static double? Percentile(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            return null;
        }

        var position = (sorted.Count - 1) * p;
        var below = (int)Math.Floor(position);
        var above = (int)Math.Ceiling(position);
        return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
    }

    /// <summary>Asserts that the figures in <paramref name="figures"/> (a group's or the whole's JSON) are these, naming <paramref name="what"/> on failure.</summary>
    public void AssertMatches(JsonElement figures, string what, bool oversight = true)
    {
        var recordings = figures.GetProperty("recordings");
        Equal(Recordings, recordings.GetProperty("count").GetInt64(), what, "recordings");
        Assert.True(Math.Abs(Hours - recordings.GetProperty("hours").GetDouble()) < 1e-9, $"{what}: hours {recordings.GetProperty("hours")} instead of {Hours}");
        Equal(Bytes, recordings.GetProperty("bytes").GetInt64(), what, "bytes");
        Equal(Quarantined, recordings.GetProperty("quarantined").GetInt64(), what, "quarantined");

        var delay = figures.GetProperty("storageDelay");
        Equal(Measured, delay.GetProperty("measured").GetInt64(), what, "measured");
        Close(P50, delay.GetProperty("p50Seconds"), what, "p50");
        Close(P95, delay.GetProperty("p95Seconds"), what, "p95");
        Equal(Late, delay.GetProperty("late").GetInt64(), what, "late");
        Equal(LateRecorders, delay.GetProperty("lateRecorders").GetInt64(), what, "lateRecorders");

        var full = figures.GetProperty("fullRecording");
        if (Full is { } expected)
        {
            Equal(expected.Activities, full.GetProperty("activities").GetInt64(), what, "activities");
            Equal(expected.Complete, full.GetProperty("complete").GetInt64(), what, "complete");
            Equal(expected.Activities - expected.Complete, full.GetProperty("incomplete").GetInt64(), what, "incomplete");
            Equal(expected.WithGaps, full.GetProperty("withGaps").GetInt64(), what, "withGaps");
            Equal(expected.Gaps, full.GetProperty("gaps").GetInt64(), what, "gaps");
            Close(expected.Activities == 0 ? null : Math.Round((double)expected.Complete / expected.Activities, 4), full.GetProperty("completeShare"), what, "completeShare");
        }
        else
        {
            Assert.True(full.ValueKind == JsonValueKind.Null, $"{what}: fullRecording should be null, is {full}");
        }

        if (oversight)
        {
            Equal(Viewings, figures.GetProperty("viewings").GetInt64(), what, "viewings");
            var approvals = figures.GetProperty("viewApprovals");
            Equal(Approvals.Asked, approvals.GetProperty("asked").GetInt64(), what, "asked");
            Equal(Approvals.Granted, approvals.GetProperty("granted").GetInt64(), what, "granted");
            Equal(Approvals.Refused, approvals.GetProperty("refused").GetInt64(), what, "refused");
            Equal(Approvals.Pending, approvals.GetProperty("pending").GetInt64(), what, "pending approvals");
            var exports = figures.GetProperty("exports");
            Equal(Exports.Requested, exports.GetProperty("requested").GetInt64(), what, "exports");
            Equal(Exports.Approved, exports.GetProperty("approved").GetInt64(), what, "exports approved");
            Equal(Exports.Denied, exports.GetProperty("denied").GetInt64(), what, "exports denied");
            Equal(Exports.Pending, exports.GetProperty("pending").GetInt64(), what, "exports pending");
            Equal(Exports.Downloaded, exports.GetProperty("downloaded").GetInt64(), what, "exports downloaded");
        }
        else
        {
            foreach (var hidden in new[] { "viewings", "viewApprovals", "exports" })
            {
                Assert.True(figures.GetProperty(hidden).ValueKind == JsonValueKind.Null, $"{what}: {hidden} should be hidden, is {figures.GetProperty(hidden)}");
            }
        }

        Equal(Dispositions, figures.GetProperty("dispositions").GetInt64(), what, "dispositions");
        var fixity = figures.GetProperty("fixity");
        Equal(Fixity.Findings, fixity.GetProperty("findings").GetInt64(), what, "fixity findings");
        Equal(Fixity.Mismatch, fixity.GetProperty("mismatch").GetInt64(), what, "mismatch");
        Equal(Fixity.Missing, fixity.GetProperty("missing").GetInt64(), what, "missing");
        Equal(Fixity.Unreadable, fixity.GetProperty("unreadable").GetInt64(), what, "unreadable");
    }

    private static void Equal(long expected, long actual, string what, string figure) =>
        Assert.True(expected == actual, $"{what}: {figure} is {actual}, counted by hand {expected}");

    private static void Close(double? expected, JsonElement actual, string what, string figure)
    {
        if (expected is null)
        {
            Assert.True(actual.ValueKind == JsonValueKind.Null, $"{what}: {figure} should be null, is {actual}");
            return;
        }

        Assert.True(actual.ValueKind == JsonValueKind.Number && Math.Abs(expected.Value - actual.GetDouble()) < 1e-6, $"{what}: {figure} is {actual}, counted by hand {expected}");
    }
}
