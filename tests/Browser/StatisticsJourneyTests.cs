using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Player.Admin;
using Enforcement.Media.Storage.Recordings;
using Enforcement.Media.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Enforcement.Media.Tests.Browser;

/// <summary>
/// The statistics page in Debian's Chromium against the real player on Kestrel: a supervisor of a bureau sees
/// the server-drawn SVG chart of its units (a bar each, Chinese names, in proportion), clicks a district's bar
/// and lands on the recording search listing exactly that district's footage of those days; the page prints
/// (to PDF) without its menu and filters, and the Content-Security-Policy blocks nothing it uses.
/// </summary>
public sealed class StatisticsJourneyTests : IAsyncLifetime
{
    private readonly KestrelWorld _world = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => _world.InitializeAsync();

    public ValueTask DisposeAsync() => _world.DisposeAsync();

    [Fact]
    public async Task A_supervisor_sees_a_bar_a_unit_and_a_bar_opens_the_list_of_exactly_that_units_footage()
    {
        var player = _world.StartPlayer();
        var services = player.Services;
        var admin = services.GetRequiredService<AdminService>();
        var bureau = $"B{Guid.NewGuid():N}"[..12];
        var west = $"W{Guid.NewGuid():N}"[..12];
        var east = $"E{Guid.NewGuid():N}"[..12];
        await admin.CreateUnitAsync(bureau, "杭州市城市管理局", null, "user:test", Token);
        await admin.CreateUnitAsync(west, "西湖区城管中队", bureau, "user:test", Token);
        await admin.CreateUnitAsync(east, "上城区城管中队", bureau, "user:test", Token);
        var archive = services.GetRequiredService<RecordingArchive>();
        async Task<Guid> FootageAsync(string unit, string startedAt)
        {
            var start = DateTimeOffset.Parse(startedAt, System.Globalization.CultureInfo.InvariantCulture);
            var delivery = new Delivery(SourceKind.Command, "user:test", $"A100001_012345_{start:yyyyMMddHHmmss}.mp4", DeviceSerial: "A100001", OfficerId: "012345", UnitCode: unit, RecorderStartedAt: start);
            return (await archive.ArchiveAsync(new MemoryStream(Bytes.Random(4096, Random.Shared.Next())), delivery, null, Token)).RecordingId;
        }

        Guid[] westFootage =
        [
            await FootageAsync(west, "2026-03-01T01:00:00Z"),
            await FootageAsync(west, "2026-03-02T15:59:59Z"), // the last second of 2 March, local
            await FootageAsync(west, "2026-03-03T09:00:00Z"),
        ];
        await FootageAsync(west, "2026-03-03T16:00:00Z"); // 4 March, local: outside the days asked for
        await FootageAsync(east, "2026-03-02T02:00:00Z");
        const string password = "statistics-password-123";
        var supervisor = await services.GetRequiredService<AccountService>().CreateAsync(
            $"sup{Random.Shared.Next(10000, 99999)}", "监督员", bureau, [Roles.Supervisor], password, mustChangePassword: false, "user:test", Token);

        var shots = new Screenshots("statistics");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        await using var context = await _world.NewContextAsync(browser);
        var page = await context.NewPageAsync();
        var problems = await PageProblems.WatchAsync(page);
        await PageProblems.SignInAsync(page, supervisor.Username, password);

        await page.ClickAsync("[data-testid=nav-statistics]");
        await page.FillAsync("#from", "2026-03-01");
        await page.FillAsync("#to", "2026-03-03");
        await page.SelectOptionAsync("#groupBy", "unit");
        await page.ClickAsync("[data-testid=show]");
        var chart = page.Locator("svg[data-testid=chart-recordings]");
        await Expect(chart).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=total-recordings]")).ToHaveTextAsync("4");
        var bars = chart.Locator("g.bar");
        await Expect(bars).ToHaveCountAsync(3); // the bureau itself and its two districts
        Assert.Equal(["0", "1", "3"], (await bars.EvaluateAllAsync<string[]>("bars => bars.map(b => b.dataset.value)")).Order(StringComparer.Ordinal));
        await Expect(chart).ToContainTextAsync("西湖区城管中队");
        await Expect(chart.Locator("title").First).ToHaveTextAsync("音视频数量");
        var westBar = chart.Locator("g.bar", new LocatorLocatorOptions { HasText = "西湖区城管中队" }).Locator("rect");
        var eastBar = chart.Locator("g.bar", new LocatorLocatorOptions { HasText = "上城区城管中队" }).Locator("rect");
        Assert.Equal(3, (await westBar.BoundingBoxAsync())!.Width / (await eastBar.BoundingBoxAsync())!.Width, 1);
        await shots.TakeAsync(page, "statistics-by-unit");

        // Printed, the menu and the filters go and the charts stay.
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Microsoft.Playwright.Media.Print });
        await Expect(page.Locator("header.top")).ToBeHiddenAsync();
        await Expect(page.Locator("form[data-testid=statistics-filters]")).ToBeHiddenAsync();
        await Expect(chart).ToBeVisibleAsync();
        var pdf = await page.PdfAsync(new PagePdfOptions { Path = Path.Combine(shots.Folder, "statistics.pdf"), Format = "A4" });
        Assert.True(pdf.Length > 10_000);
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Microsoft.Playwright.Media.Screen });

        // The district's bar is the list of its footage of those three local days, and nothing else.
        await chart.Locator("g.bar", new LocatorLocatorOptions { HasText = "西湖区城管中队" }).Locator("a").ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/recordings\\?"));
        var rows = page.Locator("table[data-testid=recordings] tbody tr");
        await Expect(rows).ToHaveCountAsync(3);
        var listed = await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.recording)");
        Assert.Equal(westFootage.Select(id => id.ToString()).Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
        await Expect(page.Locator("#from")).ToHaveValueAsync("2026-03-01T00:00:00+08:00");
        await shots.TakeAsync(page, "drill-down");

        problems.AssertNone();
    }
}
