using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Player.Admin;
using Enforcement.Media.Storage.Cases;
using Enforcement.Media.Storage.Recordings;
using Enforcement.Media.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace Enforcement.Media.Tests.Browser;

/// <summary>
/// Linking by hand in Chromium against the player on Kestrel: a reviewer finds footage no case holds, follows
/// its row to the link page, names the case, picks the seizure, gives the reason and is back on the recording
/// with the link shown by hand, with their name and reason; then removes it with a reason. Nothing the
/// Content-Security-Policy forbids is needed; screenshots of each step go to tests/artifacts/screenshots.
/// </summary>
public sealed class LinkJourneyTests
{
    private static readonly DateTimeOffset RecordedAt = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_reviewer_links_footage_from_a_search_row_to_a_case_activity_and_removes_the_link_with_a_reason()
    {
        await using var world = new KestrelWorld();
        await world.InitializeAsync();
        var seeded = await SeedAsync(world);
        var shots = new Screenshots("link-journey");
        await using var browser = await SignedInBrowser.OpenAsync(world, seeded.Reviewer, seeded.Password);
        var page = browser.Page;

        // The footage is found unlinked; its row leads to the link page.
        await page.GotoAsync($"/recordings?unit={seeded.Unit}&linked=false");
        var row = page.Locator($"tr[data-recording='{seeded.RecordingId}']");
        await Expect(row).ToBeVisibleAsync();
        await shots.TakeAsync(page, "search");
        await row.Locator("[data-testid=link-row]").ClickAsync();

        // Name the case, choose its seizure, say why.
        await page.FillAsync("[data-testid=case-number]", seeded.CaseNumber);
        await page.ClickAsync("[data-testid=find-case]");
        await page.CheckAsync("[data-testid='activity-SEIZE-1']");
        await page.FillAsync("[data-testid=link-reason]", "协查民警的记录仪拍下了扣押全过程");
        await shots.TakeAsync(page, "link-form");
        await page.ClickAsync("[data-testid=link-submit]");

        // Back on the recording: the link, made by hand, with who and why.
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/recordings/{seeded.RecordingId}#links$"));
        var link = page.Locator("table[data-testid=links] tr[data-method=manual]");
        await Expect(link).ToHaveCountAsync(1);
        await Expect(link.Locator("[data-testid=linked-by]")).ToHaveTextAsync($"user:{seeded.Reviewer}");
        await Expect(link.Locator("[data-testid=link-reason]")).ToHaveTextAsync("协查民警的记录仪拍下了扣押全过程");
        await Expect(link).ToContainTextAsync(seeded.CaseNumber);
        await shots.TakeAsync(page, "linked");

        // Removing it needs a reason too.
        await link.Locator("[data-testid=unlink-reason]").FillAsync("另一次扣押，不是本案");
        await link.Locator("[data-testid=unlink]").ClickAsync();
        await Expect(page.Locator("[data-testid=no-links]")).ToBeVisibleAsync();
        await shots.TakeAsync(page, "unlinked");
        browser.Problems.AssertNone();
    }

    /// <summary>A unit, an open case with a seizure naming another officer (so nothing links by itself), footage and a reviewer.</summary>
    private static async Task<World> SeedAsync(KestrelWorld world)
    {
        var unit = $"U{Guid.NewGuid():N}"[..12];
        var services = world.StartPlayer().Services;
        await services.GetRequiredService<AdminService>().CreateUnitAsync(unit, "城管执法二中队", null, "user:test", Token);
        var caseNumber = $"城管罚-{Random.Shared.Next(100000, 999999)}";
        var submitted = await services.GetRequiredService<CaseService>().SubmitAsync(
            new CaseInput(
                caseNumber, unit, "某公司 违法建设", "urban_management", CaseStatus.Open, RecordedAt.AddDays(-3), null, null, [],
                [new ActivityInput("SEIZE-1", "investigation", "seizure", RecordedAt, RecordedAt.AddMinutes(10), "某路 1 号", ["900001"])]),
            "user:test",
            Token);
        Assert.True(submitted.Accepted, string.Join("; ", submitted.Problems.Select(p => p.Message)));
        var delivery = new Delivery(SourceKind.Command, "user:test", "A7C9D1E_900002_20260302100000.mp4", DeviceSerial: "A7C9D1E", OfficerId: "900002", UnitCode: unit, RecorderStartedAt: RecordedAt);
        var archived = await services.GetRequiredService<RecordingArchive>().ArchiveAsync(new MemoryStream(Bytes.Random(8192, 7)), delivery, null, Token);
        const string password = "link-journey-password";
        var reviewer = await services.GetRequiredService<AccountService>().CreateAsync(
            $"rev{Random.Shared.Next(10000, 99999)}", "审查员", unit, [Roles.Reviewer], password, mustChangePassword: false, "user:test", Token);
        return new World(unit, caseNumber, archived.RecordingId, reviewer.Username, password);
    }

    private sealed record World(string Unit, string CaseNumber, Guid RecordingId, string Reviewer, string Password);
}
