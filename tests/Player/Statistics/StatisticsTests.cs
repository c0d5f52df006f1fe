using System.Text.Json;
using Enforcement.Media.Tests.Infrastructure;

namespace Enforcement.Media.Tests.Player.Statistics;

/// <summary>
/// The statistics (<c>GET /api/v1/statistics</c>) through the real app on a real PostgreSQL: every figure, of
/// the whole and of every group, against a count made by hand from what <see cref="StatisticsWorld"/> seeded;
/// every number's link against the rows it should list; and the scope of each caller.
/// </summary>
public sealed class StatisticsTests(PlayerApp app) : IClassFixture<PlayerApp>
{
    private const string Period = $"from={StatisticsWorld.From}&to={StatisticsWorld.To}";

    private readonly StatisticsWorld _world = new(app);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_figure_of_a_bureau_and_of_each_of_its_units_equals_a_count_by_hand()
    {
        var seeded = await _world.SeedAsync();

        var report = await StatisticsWorld.ReportAsync(seeded.Supervisor, $"{Period}&groupBy=unit");

        Assert.Equal(StatisticsWorld.From, report.GetProperty("from").GetString());
        Assert.Equal(StatisticsWorld.To, report.GetProperty("to").GetString());
        Assert.Equal("Asia/Shanghai", report.GetProperty("timeZone").GetString());
        Assert.Equal(seeded.Bureau, report.GetProperty("unit").GetString());
        Assert.Equal("1.00:00:00", report.GetProperty("lateDocking").GetString());
        ExpectedFigures.Of(seeded, (_, _) => true, _ => true).AssertMatches(report.GetProperty("total"), "total");

        // The bureau's own footage, then each district with its station rolled in.
        var groups = Groups(report);
        Assert.Equal([seeded.Bureau, .. new[] { seeded.District1, seeded.District2 }.Order(StringComparer.Ordinal)], groups.Keys);
        foreach (var (key, figures) in groups)
        {
            ExpectedFigures.Of(seeded, (facts, _) => seeded.UnitGroup(facts.Unit) == key, _ => key == seeded.District1).AssertMatches(figures, $"unit {key}");
        }

        // Spot checks written out, so that the counting by hand is itself checked.
        var total = report.GetProperty("total");
        Assert.Equal(8, total.GetProperty("recordings").GetProperty("count").GetInt64());
        Assert.Equal(2, total.GetProperty("storageDelay").GetProperty("late").GetInt64());
        Assert.Equal(2, total.GetProperty("storageDelay").GetProperty("lateRecorders").GetInt64());
        Assert.Equal(3, total.GetProperty("fullRecording").GetProperty("activities").GetInt64());
        Assert.Equal(1, total.GetProperty("fullRecording").GetProperty("complete").GetInt64());
        Assert.Equal(5, total.GetProperty("viewings").GetInt64());
        Assert.Equal(3, total.GetProperty("exports").GetProperty("requested").GetInt64());
        Assert.Equal(2, groups[seeded.District2].GetProperty("exports").GetProperty("requested").GetInt64()); // e2 through r3, and e3
        Assert.Equal(1, groups[seeded.Bureau].GetProperty("exports").GetProperty("requested").GetInt64()); // e2 again, through r4: once in the total

        var byRole = report.GetProperty("viewingsByRole").EnumerateArray().ToDictionary(r => r.GetProperty("value").GetString()!, r => r.GetProperty("count").GetInt64());
        Assert.Equal(
            seeded.Viewings.GroupBy(v => v.Role).ToDictionary(g => g.Key, g => (long)g.Count()),
            byRole);
        var byReason = report.GetProperty("viewingsByReason").EnumerateArray().ToDictionary(r => r.GetProperty("value").GetString()!, r => r.GetProperty("count").GetInt64());
        Assert.Equal(seeded.Viewings.GroupBy(v => v.Reason).ToDictionary(g => g.Key, g => (long)g.Count()), byReason);
        Assert.Equal(StatisticsWorld.ReviewReason, report.GetProperty("viewingsByReason")[0].GetProperty("value").GetString()); // most first
    }

    [Fact]
    public async Task Figures_by_officer_recorder_local_day_and_month_equal_counts_by_hand()
    {
        var seeded = await _world.SeedAsync();

        var byOfficer = Groups(await StatisticsWorld.ReportAsync(seeded.Supervisor, $"{Period}&groupBy=officer"));
        var officers = seeded.Recordings.Select(r => r.Officer).Concat(seeded.Activities.SelectMany(a => a.Officers)).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Equal(officers, byOfficer.Keys.Order(StringComparer.Ordinal));
        foreach (var (officer, figures) in byOfficer)
        {
            ExpectedFigures.Of(seeded, (facts, _) => facts.Officer == officer, a => a.Officers.Contains(officer)).AssertMatches(figures, $"officer {officer}");
        }

        var byRecorder = await StatisticsWorld.ReportAsync(seeded.Supervisor, $"{Period}&groupBy=recorder");
        ExpectedFigures.Of(seeded, (_, _) => true, _ => true).AssertMatches(byRecorder.GetProperty("total"), "total grouped by recorder");
        var recorders = Groups(byRecorder);
        Assert.Equal(seeded.Recordings.Select(r => r.Device).Distinct().Order(StringComparer.Ordinal), recorders.Keys.Order(StringComparer.Ordinal));
        foreach (var (device, figures) in recorders)
        {
            ExpectedFigures.Of(seeded, (facts, _) => facts.Device == device, null).AssertMatches(figures, $"recorder {device}");
        }

        var byDay = Groups(await StatisticsWorld.ReportAsync(seeded.Supervisor, $"{Period}&groupBy=day"));
        Assert.Equal(["2026-03-01", "2026-03-02", "2026-03-03"], byDay.Keys);
        foreach (var (day, figures) in byDay)
        {
            ExpectedFigures.Of(seeded, (_, at) => StatisticsWorld.Seeded.LocalDay(at) == day, a => a.LocalDay == day).AssertMatches(figures, $"day {day}");
        }

        // The edges of local days, written out: r2 (16:30 UTC on 1 March) is the first half hour of 2 March, r3
        // (15:59:59 UTC on 2 March) its last second.
        Assert.Equal(4, Count(byDay["2026-03-01"], "recordings", "count"));
        Assert.Equal(3, Count(byDay["2026-03-02"], "recordings", "count"));
        Assert.Equal(1, Count(byDay["2026-03-03"], "recordings", "count"));

        // A wider window by month, written out: it adds 23:59:59 on 28 February and 00:00 on 4 March (local), the
        // viewing of 20 February, the approval asked on 25 February and the unreadable re-read of 5 March.
        var months = Groups(await StatisticsWorld.ReportAsync(seeded.Supervisor, "from=2026-02-20&to=2026-03-31&groupBy=month"));
        Assert.Equal(["2026-02", "2026-03"], months.Keys);
        Assert.Equal(1, Count(months["2026-02"], "recordings", "count"));
        Assert.Equal(seeded.Recordings.Count + 1, Count(months["2026-03"], "recordings", "count"));
        Assert.Equal(1, months["2026-02"].GetProperty("viewings").GetInt64());
        Assert.Equal(seeded.Viewings.Count, months["2026-03"].GetProperty("viewings").GetInt64());
        Assert.Equal(1, Count(months["2026-02"], "viewApprovals", "asked"));
        Assert.Equal(seeded.Approvals.Count, Count(months["2026-03"], "viewApprovals", "asked"));
        Assert.Equal(0, Count(months["2026-02"], "fixity", "findings"));
        Assert.Equal(seeded.Findings.Count + 1, Count(months["2026-03"], "fixity", "findings"));
        Assert.Equal(seeded.Activities.Count, Count(months["2026-03"], "fullRecording", "activities"));
        Assert.Equal(0, Count(months["2026-02"], "fullRecording", "activities"));
    }

    private static long Count(JsonElement figures, string figure, string number) => figures.GetProperty(figure).GetProperty(number).GetInt64();

    /// <summary>The groups of a report by key, in the report's order.</summary>
    private static Dictionary<string, JsonElement> Groups(JsonElement report) =>
        report.GetProperty("groups").EnumerateArray().ToDictionary(g => g.GetProperty("key").GetString()!, g => g.GetProperty("figures"));
}
