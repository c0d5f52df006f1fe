using System.Globalization;
using System.Net;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Player.Display;
using Enforcement.Media.Storage.Recordings;
using Enforcement.Media.Tests.Infrastructure;
using Enforcement.Media.Tests.Player.Recorders;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Tests.Player.Display;

/// <summary>
/// Times as people read them: every page, CSV and report in <c>Display:TimeZone</c> with its offset, days typed
/// into filters as days of that zone, and the JSON API's instants still ISO 8601 with their offset.
/// </summary>
public sealed class DisplayTimeTests(PlayerApp app) : IClassFixture<PlayerApp>
{
    /// <summary>01:30:15 UTC on 8 December 2026: 09:30:15 in Shanghai.</summary>
    private static readonly DateTimeOffset Instant = new(2026, 12, 8, 1, 30, 15, TimeSpan.Zero);

    private readonly RecorderHarness _recorders = new(app);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public void An_instant_is_shown_on_the_zones_wall_clock_with_the_offset_of_that_day()
    {
        var shanghai = new LocalClock(TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));
        var newYork = new LocalClock(TimeZoneInfo.FindSystemTimeZoneById("America/New_York"));

        Assert.Equal("2026-12-08 09:30:15 +08:00", shanghai.Show(Instant));
        Assert.Equal("2026-12-08 09:30:15 +08:00", shanghai.Show(Instant.UtcDateTime));
        Assert.Equal(LocalClock.None, shanghai.Show((DateTimeOffset?)null));
        Assert.Equal("2026-12-07 20:30:15 -05:00", newYork.Show(Instant));
        Assert.Equal("2026-07-07 21:30:15 -04:00", newYork.Show(Instant.AddMonths(-5))); // daylight saving time
    }

    [Fact]
    public void A_day_is_midnight_to_midnight_in_the_zone_even_on_a_day_of_23_hours()
    {
        var shanghai = new LocalClock(TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));
        var newYork = new LocalClock(TimeZoneInfo.FindSystemTimeZoneById("America/New_York"));

        Assert.Equal(new DateTimeOffset(2026, 12, 7, 16, 0, 0, TimeSpan.Zero), shanghai.StartOf(new DateOnly(2026, 12, 8)));
        var springForward = new DateOnly(2026, 3, 8);
        Assert.Equal(TimeSpan.FromHours(23), newYork.StartOf(springForward.AddDays(1)) - newYork.StartOf(springForward));
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("China Standard Time")] // a Windows id: the key takes IANA ids only
    [InlineData("")]
    public void A_zone_that_is_not_a_known_IANA_id_stops_start_up_naming_the_key(string zone)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => DisplayOptionsOf(zone));

        Assert.Contains("Display:TimeZone", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Asia/Shanghai")]
    [InlineData("UTC")]
    [InlineData("Asia/Urumqi")]
    public void An_IANA_zone_is_accepted(string zone) => Assert.Equal(zone, DisplayOptionsOf(zone).TimeZone);

    [Fact]
    public async Task Pages_and_csv_show_local_times_with_the_offset_while_the_api_keeps_iso_8601_instants()
    {
        var unit = await _recorders.UnitAsync();
        var manager = await _recorders.ManagerAsync(unit);
        var serial = RecorderHarness.NewSerial();
        await RecorderHarness.RegisterAsync(manager, serial, unit);
        await _recorders.DeliveryAsync(unit, serial, SourceKind.Dock, Instant);
        var (page, _) = await app.SignedInAsync([Roles.Supervisor], unit);

        var html = WebUtility.HtmlDecode(await page.GetStringAsync($"/recorders?unit={unit}", Token));
        Assert.Contains("2026-12-08 09:30:15 +08:00", html, StringComparison.Ordinal);
        Assert.DoesNotContain("2026-12-08 01:30:15Z", html, StringComparison.Ordinal);
        var csv = await manager.GetStringAsync($"/api/v1/recorders.csv?unit={unit}", Token);
        Assert.Contains("\"2026-12-08 09:30:15 +08:00\"", csv, StringComparison.Ordinal);

        var json = await RecorderHarness.GetAsync(manager, $"/api/v1/recorders/{serial}");
        var docked = json.GetProperty("recorder").GetProperty("firstDockedAt").GetString()!;
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$", docked);
        Assert.Equal(Instant, DateTimeOffset.Parse(docked, CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_plain_day_in_a_page_filter_is_a_day_of_the_display_zone()
    {
        var unit = await _recorders.UnitAsync();
        var serial = RecorderHarness.NewSerial();
        var morning = await _recorders.DeliveryAsync(unit, serial, SourceKind.Dock, Instant); // 09:30 on the 8th in Shanghai, 01:30 UTC
        var justBefore = await _recorders.DeliveryAsync(unit, serial, SourceKind.Dock, new DateTimeOffset(2026, 12, 7, 15, 59, 59, TimeSpan.Zero)); // 23:59:59 on the 7th
        var (page, _) = await app.SignedInAsync([Roles.Reviewer], unit);

        var html = await page.GetStringAsync($"/recordings?recorder={serial}&from=2026-12-08&to=2026-12-08", Token);

        Assert.Contains($"/recordings/{morning}", html, StringComparison.Ordinal);
        Assert.DoesNotContain($"/recordings/{justBefore}", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_display_zone_is_shown_with_its_own_offset()
    {
        await using var utc = new PlayerApp(new Dictionary<string, string> { ["Display:TimeZone"] = "UTC" });
        await utc.InitializeAsync();
        var recorders = new RecorderHarness(utc);
        var unit = await recorders.UnitAsync();
        var manager = await recorders.ManagerAsync(unit);
        var serial = RecorderHarness.NewSerial();
        await RecorderHarness.RegisterAsync(manager, serial, unit);
        await recorders.DeliveryAsync(unit, serial, SourceKind.Dock, Instant);

        var csv = await manager.GetStringAsync($"/api/v1/recorders.csv?unit={unit}", Token);

        Assert.Contains("\"2026-12-08 01:30:15 +00:00\"", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_handover_time_typed_without_an_offset_on_the_page_is_the_display_zones_wall_clock()
    {
        var unit = await _recorders.UnitAsync();
        var serial = RecorderHarness.NewSerial();
        await RecorderHarness.RegisterAsync(await _recorders.ManagerAsync(unit), serial, unit);
        var (browser, _) = await app.SignedInAsync([Roles.Supervisor], unit);
        var detail = await browser.GetStringAsync($"/recorders/{serial}", Token);

        var assigned = await browser.PostAsync("/recorders/edit?handler=Assign", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Serial"] = serial,
            ["OfficerId"] = "180001",
            ["From"] = "2026-11-22 08:00",
            ["__RequestVerificationToken"] = PlayerApp.AntiforgeryTokenIn(detail, $"/recorders/{serial}"),
        }), Token);

        Assert.Equal(HttpStatusCode.Redirect, assigned.StatusCode);
        var history = (await RecorderHarness.GetAsync(await _recorders.ManagerAsync(unit), $"/api/v1/recorders/{serial}")).GetProperty("assignments")[0];
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero), history.GetProperty("from").GetDateTimeOffset());
    }

    private static DisplayOptions DisplayOptionsOf(string zone)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Display:TimeZone"] = zone }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddDisplay();
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<DisplayOptions>>().Value;
    }
}
