using System.Globalization;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Player.Localization;
using Enforcement.Media.Player.Refusals;
using Enforcement.Media.Player.Visibility;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enforcement.Media.Player.Statistics;

/// <summary>
/// The statistics page (统计分析): the filters, the figures of the whole with the list behind each number,
/// charts of the groups drawn on the server, and the figures of every group. The same filter, figures and
/// links as <c>GET /api/v1/statistics</c>.
/// </summary>
[Authorize(Policy = PlayerPolicies.ReadStatistics)]
public sealed class IndexModel(StatisticsCalendar calendar, StatisticsService statistics, StatisticsUnits units, IAuthorizationService authorization, Texts texts)
    : PageModel
{
    /// <summary>Groups beyond this many are in the table, not the charts: 2,000 officers' bars are no chart.</summary>
    public const int ChartedGroups = 25;

    /// <summary>The statistics as asked: the query string, read whole (its names are the API's).</summary>
    [BindProperty(SupportsGet = true)]
    public StatisticsInput Asked { get; set; } = new();

    public StatisticsReport? Report { get; private set; }

    /// <summary>The viewer's unit tree, for the choice of unit.</summary>
    public IReadOnlyList<(string Code, string Name, int Depth)> Tree { get; private set; } = [];

    /// <summary>The parameter the statistics refused, and why.</summary>
    public StatisticsRefusedException? Refused { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var viewer = Viewer.Of(User);
        Tree = await units.TreeAsync(viewer, cancellationToken);
        try
        {
            var filter = calendar.Filter(Asked);
            Report = await statistics.ReportAsync(viewer, filter, await StatisticsEndpoints.MayReadOversightAsync(authorization, User), cancellationToken);
        }
        catch (StatisticsRefusedException refused)
        {
            Refused = refused;
            Response.StatusCode = RefusalStatus.Of(refused.Kind);
        }
    }

    /// <summary>The groups the charts show: all days and months, else the first <see cref="ChartedGroups"/> in the table's order.</summary>
    public IReadOnlyList<StatisticsGroup> Charted =>
        Report is null ? [] : Report.GroupBy is StatisticsFilter.ByDay or StatisticsFilter.ByMonth ? Report.Groups : [.. Report.Groups.Take(ChartedGroups)];

    public bool IsSeries => Report?.GroupBy is StatisticsFilter.ByDay or StatisticsFilter.ByMonth;

    /// <summary>A group as the page names it: its name and code, a day as <c>03-02</c> in a chart, or "none".</summary>
    public string Label(StatisticsGroup group, bool inChart = false) => group.Key switch
    {
        null => texts["stats.none-key"],
        var key when inChart && Report?.GroupBy == StatisticsFilter.ByDay => key[5..],
        var key when Report?.GroupBy == StatisticsFilter.ByUnit && key == Report.Unit => $"{group.Label ?? key} {texts["stats.unit-alone"]}",
        var key => group.Label is null ? key : $"{group.Label} ({key})",
    };

    /// <summary>A chart of one figure of the charted groups: a line over days and months, bars otherwise; nothing when no group has the figure.</summary>
    public Microsoft.AspNetCore.Html.HtmlString Chart(string id, string titleKey, Func<GroupFigures, double?> value, Func<GroupFigures, string> text, string link)
    {
        var bars = Charted
            .Where(g => value(g.Figures) is not null)
            .Select(g => new ChartBar(Label(g, inChart: true), value(g.Figures)!.Value, text(g.Figures), g.Figures.Links.GetValueOrDefault(link)))
            .ToList();
        if (bars.Count == 0)
        {
            return new Microsoft.AspNetCore.Html.HtmlString(string.Empty);
        }

        var title = texts[titleKey];
        var description = texts.Format("stats.chart-desc", title, texts["stats.by." + Report!.GroupBy], bars.Count, Report.Groups.Count);
        return IsSeries ? new LineChart(title, description, bars).Render(id) : new BarChart(title, description, bars).Render(id);
    }

    public static string Count(long value) => value.ToString("N0", CultureInfo.CurrentCulture);

    public static string Hours(double hours) => hours.ToString("N1", CultureInfo.CurrentCulture);

    /// <summary>Bytes in the largest unit that keeps a whole number in front (GiB, MiB, KiB).</summary>
    public static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 => (bytes / (double)(1L << 30)).ToString("N1", CultureInfo.CurrentCulture) + " GiB",
        >= 1L << 20 => (bytes / (double)(1L << 20)).ToString("N1", CultureInfo.CurrentCulture) + " MiB",
        _ => (bytes / 1024.0).ToString("N1", CultureInfo.CurrentCulture) + " KiB",
    };

    /// <summary>A delay as days, hours and minutes (<c>1 d 02:05</c>, <c>02:05</c>); a dash when none was measured.</summary>
    public static string Delay(double? seconds)
    {
        if (seconds is not { } s)
        {
            return "—";
        }

        var span = TimeSpan.FromSeconds(Math.Round(Math.Abs(s) / 60) * 60);
        var text = span.Days > 0 ? $"{span.Days} d {span:hh\\:mm}" : span.ToString("hh\\:mm", CultureInfo.InvariantCulture);
        return s < 0 ? "−" + text : text;
    }

    /// <summary>The lateness threshold as people say it: whole days, else hours and minutes.</summary>
    public string Threshold(string constant)
    {
        var span = TimeSpan.ParseExact(constant, "c", CultureInfo.InvariantCulture);
        return span.TotalDays == Math.Floor(span.TotalDays)
            ? texts.Format("stats.days", (int)span.TotalDays)
            : texts.Format("stats.hours-minutes", (int)span.TotalHours, span.Minutes);
    }

    public static string Share(double? share) => share is { } s ? s.ToString("P1", CultureInfo.CurrentCulture) : "—";
}
