using System.Net;
using System.Text.RegularExpressions;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Tests.Infrastructure;
using Enforcement.Media.Tests.Player.Playback;

namespace Enforcement.Media.Tests.Player.Statistics;

/// <summary>The <c>/statistics</c> and <c>/statistics/rows</c> pages as served: both languages, the charts drawn, refusals shown by parameter.</summary>
public sealed class StatisticsPageTests(PlayerApp app) : IClassFixture<PlayerApp>
{
    private const string Period = $"from={StatisticsWorld.From}&to={StatisticsWorld.To}";

    private readonly StatisticsWorld _world = new(app);
    private readonly PlaybackHarness _playback = new(app);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_page_shows_the_figures_with_their_links_and_draws_a_chart_of_the_groups_in_Chinese_and_in_English()
    {
        var seeded = await _world.SeedAsync();
        var (client, _) = await app.SignedInAsync([Roles.Supervisor], seeded.Bureau);

        var chinese = WebUtility.HtmlDecode(await client.GetStringAsync($"/statistics?{Period}&groupBy=unit", Token));

        Assert.Contains("统计分析", chinese, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"total-recordings\">8</a>", chinese, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"chart-recordings\"", chinese, StringComparison.Ordinal);
        Assert.Equal(3, CountIn(chinese, "chart-recordings", "class=\"bar\"")); // the bureau itself and its two districts
        Assert.Contains("data-testid=\"chart-by-role\"", chinese, StringComparison.Ordinal);
        Assert.Contains("监督人员", chinese, StringComparison.Ordinal); // a role, in the chart of viewings by role
        var window = $"from={Uri.EscapeDataString("2026-03-01T00:00:00+08:00")}&to={Uri.EscapeDataString("2026-03-04T00:00:00+08:00")}";
        Assert.Contains($"href=\"/recordings?unit={seeded.Bureau}&subunits=false&{window}\"", chinese, StringComparison.Ordinal); // the bureau's own footage

        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/language/en?returnUrl=%2Fstatistics", Token)).StatusCode);
        var english = WebUtility.HtmlDecode(await client.GetStringAsync($"/statistics?{Period}&groupBy=day", Token));
        Assert.Contains("Statistics", english, StringComparison.Ordinal);
        Assert.Contains("class=\"chart line-chart\"", english, StringComparison.Ordinal);
        Assert.Equal(3, CountIn(english, "chart-recordings", "<circle")); // a point a day
    }

    [Fact]
    public async Task A_refusal_is_shown_on_the_page_with_its_status()
    {
        var (client, _) = await app.SignedInAsync([Roles.Supervisor], await _playback.Records.UnitAsync());

        var response = await client.GetAsync("/statistics?from=2026-03-05&to=2026-03-01", Token);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Token));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("data-field=\"from\"", html, StringComparison.Ordinal);
        Assert.Contains("is after the to day", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/statistics?unit={await _playback.Records.UnitAsync()}", Token)).StatusCode);
    }

    [Fact]
    public async Task The_rows_page_lists_the_rows_behind_a_number_and_the_legal_office_is_shown_no_oversight()
    {
        var seeded = await _world.SeedAsync();
        var (supervisor, _) = await app.SignedInAsync([Roles.Supervisor], seeded.Bureau);
        var (legal, _) = await app.SignedInAsync([Roles.LegalReviewer], seeded.Bureau);

        var activities = WebUtility.HtmlDecode(await supervisor.GetStringAsync($"/statistics/rows?figure=activities.incomplete&{Period}", Token));
        var legalPage = await legal.GetStringAsync($"/statistics?{Period}", Token);
        var approvals = await legal.GetAsync($"/statistics/rows?figure=approvals&{Period}", Token);

        Assert.Equal(2, Regex.Count(activities, "data-testid=\"row\""));
        Assert.Contains("DEMOLISH-1", activities, StringComparison.Ordinal);
        Assert.Contains("ROOM-1", activities, StringComparison.Ordinal);
        Assert.DoesNotContain("SEIZE-1", activities, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"oversight-hidden\"", legalPage, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"total-viewings\"", legalPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, approvals.StatusCode);
    }

    /// <summary>How often <paramref name="pattern"/> occurs in the chart with this test id (its bars, its points).</summary>
    private static int CountIn(string html, string chart, string pattern)
    {
        var start = html.IndexOf($"data-testid=\"{chart}\"", StringComparison.Ordinal);
        var end = html.IndexOf("</svg>", start, StringComparison.Ordinal);
        return Regex.Count(html[start..end], pattern);
    }
}
