using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Tests.Infrastructure;
using Enforcement.Media.Tests.Player.Playback;

namespace Enforcement.Media.Tests.Player.Statistics;

/// <summary>
/// Who counts what: bad input refused by parameter, a unit outside the caller's tree refused, an empty period
/// answered with zeros, a district's figures rolled up from its own tree only, and the legal office shown the
/// footage figures but not who watched, asked for or handed out footage.
/// </summary>
public sealed class StatisticsScopeTests(PlayerApp app) : IClassFixture<PlayerApp>
{
    private const string Period = $"from={StatisticsWorld.From}&to={StatisticsWorld.To}";

    private readonly StatisticsWorld _world = new(app);
    private readonly PlaybackHarness _playback = new(app);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_first_day_after_the_last_is_a_400_that_says_so_and_names_from()
    {
        var supervisor = await _playback.ApiAsync([Roles.Supervisor], await _playback.Records.UnitAsync());

        var response = await supervisor.Http.GetAsync("/api/v1/statistics?from=2026-03-05&to=2026-03-01", Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Token);
        var message = Assert.Single(problem.GetProperty("errors").GetProperty("from").EnumerateArray()).GetString();
        Assert.Contains("2026-03-05", message, StringComparison.Ordinal);
        Assert.Contains("after the to day (2026-03-01)", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("groupBy=week", "groupBy")]
    [InlineData("groupBy=unit;DROP", "groupBy")]
    [InlineData("unit=NO-SUCH-UNIT", "unit")]
    [InlineData("from=2026-13-01", "from")]
    [InlineData("to=yesterday", "to")]
    [InlineData("from=2026-03-01T00:00:00Z", "from")]
    [InlineData("subunits=maybe", "subunits")]
    [InlineData("from=2025-01-01&to=2026-03-01&groupBy=day", "groupBy")]
    [InlineData("from=2000-01-01&to=2026-03-01", "to")]
    public async Task Bad_input_is_a_400_naming_the_parameter(string query, string field)
    {
        var supervisor = await _playback.ApiAsync([Roles.Supervisor], await _playback.Records.UnitAsync());

        var response = await supervisor.Http.GetAsync($"/api/v1/statistics?{query}", Token);
        var rows = await supervisor.Http.GetAsync($"/api/v1/statistics/rows?figure=dispositions&{query}", Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("errors").TryGetProperty(field, out _));
        if (field != "groupBy")
        {
            Assert.Equal(HttpStatusCode.BadRequest, rows.StatusCode); // the rows take no grouping
        }
    }

    [Theory]
    [InlineData("figure=everything")]
    [InlineData("")]
    public async Task The_rows_of_a_figure_that_does_not_exist_are_a_400_naming_figure(string query)
    {
        var supervisor = await _playback.ApiAsync([Roles.Supervisor], await _playback.Records.UnitAsync());

        var response = await supervisor.Http.GetAsync($"/api/v1/statistics/rows?{query}", Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("errors").TryGetProperty("figure", out _));
    }

    [Fact]
    public async Task A_unit_outside_the_callers_own_tree_is_refused_and_one_inside_it_is_counted()
    {
        var bureau = await _playback.Records.UnitAsync();
        var district = await _playback.Records.UnitAsync(bureau);
        var sibling = await _playback.Records.UnitAsync(bureau);
        var station = await _playback.Records.UnitAsync(district);
        var elsewhere = await _playback.Records.UnitAsync();
        var supervisor = await _playback.ApiAsync([Roles.Supervisor], district);
        var noUnit = await _playback.ApiAsync([Roles.Supervisor], null);

        foreach (var unit in new[] { bureau, sibling, elsewhere })
        {
            var refused = await supervisor.Http.GetAsync($"/api/v1/statistics?unit={unit}", Token);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.True((await refused.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("errors").TryGetProperty("unit", out _));
            Assert.Equal(HttpStatusCode.Forbidden, (await supervisor.Http.GetAsync($"/api/v1/statistics/rows?figure=dispositions&unit={unit}", Token)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await noUnit.Http.GetAsync($"/api/v1/statistics?unit={district}", Token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await noUnit.Http.GetAsync("/api/v1/statistics", Token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await supervisor.Http.GetAsync($"/api/v1/statistics?unit={station}", Token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await supervisor.Http.GetAsync($"/api/v1/statistics?unit={district}&subunits=false", Token)).StatusCode);
    }

    [Fact]
    public async Task A_period_with_nothing_in_it_is_answered_with_zeros_and_empty_groups()
    {
        var bureau = await _playback.Records.UnitAsync();
        var district = await _playback.Records.UnitAsync(bureau);
        var supervisor = await _playback.ApiAsync([Roles.Supervisor], bureau);

        var byDay = await StatisticsWorld.ReportAsync(supervisor, "from=2030-01-01&to=2030-01-03&groupBy=day");
        var byUnit = await StatisticsWorld.ReportAsync(supervisor, "from=2030-01-01&to=2030-01-03&groupBy=unit");

        var none = new ExpectedFigures(0, 0, 0, 0, 0, null, null, 0, 0, (0, 0, 0, 0), 0, (0, 0, 0, 0), (0, 0, 0, 0, 0), 0, (0, 0, 0, 0));
        none.AssertMatches(byDay.GetProperty("total"), "total");
        Assert.Equal(["2030-01-01", "2030-01-02", "2030-01-03"], byDay.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("key").GetString()));
        foreach (var group in byDay.GetProperty("groups").EnumerateArray().Concat(byUnit.GetProperty("groups").EnumerateArray()))
        {
            none.AssertMatches(group.GetProperty("figures"), group.GetProperty("key").GetString()!);
        }

        Assert.Equal([bureau, district], byUnit.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("key").GetString()));
        Assert.Empty(byDay.GetProperty("viewingsByRole").EnumerateArray());
        Assert.Empty(byDay.GetProperty("viewingsByReason").EnumerateArray());
    }

    [Fact]
    public async Task A_district_counts_its_own_tree_rolled_up_and_nothing_of_its_parent_or_sibling()
    {
        var seeded = await _world.SeedAsync();
        var districtSupervisor = await _playback.ApiAsync([Roles.Supervisor], seeded.District1);

        var report = await StatisticsWorld.ReportAsync(districtSupervisor, $"{Period}&groupBy=unit");

        Assert.Equal(seeded.District1, report.GetProperty("unit").GetString());
        bool Mine((string Unit, string Officer, string Device) facts) => facts.Unit == seeded.District1 || facts.Unit == seeded.Station;
        bool Sees(string unit) => unit == seeded.District1 || unit == seeded.Station;
        ExpectedFigures.Of(seeded, (facts, _) => Mine(facts), _ => true, Sees).AssertMatches(report.GetProperty("total"), "district total");
        var groups = report.GetProperty("groups").EnumerateArray().ToDictionary(g => g.GetProperty("key").GetString()!, g => g.GetProperty("figures"));
        Assert.Equal([seeded.District1, seeded.Station], groups.Keys);
        ExpectedFigures.Of(seeded, (facts, _) => facts.Unit == seeded.District1, _ => true, Sees).AssertMatches(groups[seeded.District1], "the district alone");
        ExpectedFigures.Of(seeded, (facts, _) => facts.Unit == seeded.Station, _ => false, Sees).AssertMatches(groups[seeded.Station], "its station");

        // The bureau's supervisor narrowed to the district sees the same figures; a sibling's supervisor none of them.
        var narrowed = await StatisticsWorld.ReportAsync(seeded.Supervisor, $"{Period}&unit={seeded.District1}");
        ExpectedFigures.Of(seeded, (facts, _) => Mine(facts), _ => true).AssertMatches(narrowed.GetProperty("total"), "bureau narrowed to the district");
        var sibling = await StatisticsWorld.ReportAsync(await _playback.ApiAsync([Roles.Supervisor], seeded.District2), Period);
        ExpectedFigures.Of(seeded, (facts, _) => facts.Unit == seeded.District2, _ => false, unit => unit == seeded.District2).AssertMatches(sibling.GetProperty("total"), "the other district");
    }

    [Fact]
    public async Task The_legal_office_sees_the_footage_figures_but_not_who_watched_asked_for_or_exported_footage()
    {
        var seeded = await _world.SeedAsync();

        var report = await StatisticsWorld.ReportAsync(seeded.Legal, $"{Period}&groupBy=unit");

        ExpectedFigures.Of(seeded, (_, _) => true, _ => true).AssertMatches(report.GetProperty("total"), "legal office total", oversight: false);
        Assert.Equal(JsonValueKind.Null, report.GetProperty("viewingsByRole").ValueKind);
        Assert.Equal(JsonValueKind.Null, report.GetProperty("viewingsByReason").ValueKind);
        var links = report.GetProperty("total").GetProperty("links").EnumerateObject().Select(p => p.Name).ToList();
        Assert.DoesNotContain("viewings", links);
        Assert.DoesNotContain(links, l => l.StartsWith("viewApprovals", StringComparison.Ordinal) || l.StartsWith("exports", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Forbidden, (await seeded.Legal.Http.GetAsync($"/api/v1/statistics/rows?figure=approvals&{Period}", Token)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await seeded.Legal.Http.GetAsync($"/api/v1/statistics/rows?figure=exports.downloaded&{Period}", Token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await seeded.Legal.Http.GetAsync($"/api/v1/statistics/rows?figure=dispositions&{Period}", Token)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await seeded.Reviewer.Http.GetAsync($"/api/v1/statistics?{Period}", Token)).StatusCode);
    }

    [Fact]
    public async Task Narrowed_to_a_recorder_activities_are_not_counted_nor_listed()
    {
        var seeded = await _world.SeedAsync();

        var report = await StatisticsWorld.ReportAsync(seeded.Supervisor, $"{Period}&recorder={seeded.DevA}");
        var rows = await seeded.Supervisor.Http.GetAsync($"/api/v1/statistics/rows?figure=activities&{Period}&recorder={seeded.DevA}", Token);

        ExpectedFigures.Of(seeded, (facts, _) => facts.Device == seeded.DevA, null).AssertMatches(report.GetProperty("total"), "recorder A");
        Assert.Equal(HttpStatusCode.BadRequest, rows.StatusCode);
        Assert.True((await rows.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("errors").TryGetProperty("recorder", out _));
    }
}
