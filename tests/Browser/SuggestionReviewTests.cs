using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Player.Admin;
using Enforcement.Media.Storage.Recordings;
using Enforcement.Media.Storage.Redactions;
using Enforcement.Media.Tests.Ingest.Suggestions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Enforcement.Media.Tests.Browser;

/// <summary>
/// Face suggestions in the redaction editor, in Debian's Chromium against the real player, over footage of a
/// real face (a photograph moved across the picture) whose suggestions job runs through the real worker and
/// OpenCV: the reviewer asks, the page follows the run until it is ready, shows a suggestion on the picture,
/// and accepts it — it becomes a region of the draft with the detector's key positions, and the decision is
/// kept on the server; after a reload the decision is still shown; a later run's suggestion is rejected and
/// hides nothing.
/// </summary>
public sealed class SuggestionReviewTests : IAsyncLifetime
{
    private const double ClipSeconds = 4;

    private readonly KestrelWorld _world = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => _world.InitializeAsync();

    public ValueTask DisposeAsync() => _world.DisposeAsync();

    [Fact]
    public async Task A_reviewer_asks_for_face_suggestions_accepts_one_into_the_draft_and_rejects_a_later_one()
    {
        var (recordingId, reviewer, password) = await SeedAsync();
        var suggestions = _world.Player.Services.GetRequiredService<SuggestionStore>();
        var shots = new Screenshots("suggestion-review");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        await using var context = await _world.NewContextAsync(browser);
        var page = await context.NewPageAsync();
        var problems = await PageProblems.WatchAsync(page);
        await PageProblems.SignInAsync(page, reviewer.Username, password);
        await page.GotoAsync($"/recordings/{recordingId}");
        await StartViewingAsync(page);

        // Asked: the page says it is looking once the run is queued; the worker's job finds the face.
        await Expect(page.Locator("[data-testid=suggestions]")).ToBeVisibleAsync();
        await page.ClickAsync("[data-testid=suggest-find]");
        await Expect(page.Locator("[data-testid=suggest-message]")).ToHaveTextAsync("正在检测人脸……");
        await Expect(page.Locator("[data-testid=suggest-find]")).ToBeDisabledAsync();
        await _world.SuggestAsync(recordingId, Token);
        var found = page.Locator("[data-testid=suggestion]");
        await Expect(found.First).ToBeVisibleAsync(new() { Timeout = 15_000 });
        var run = (await suggestions.LatestAsync(recordingId, Token))!;
        Assert.Equal(SuggestionState.Ready, run.State);
        await Expect(found).ToHaveCountAsync(run.Suggestions.Count);
        var face = run.Suggestions[0];

        // Shown: the picture goes to where the detector first saw it; nothing is decided by looking.
        var first = found.First;
        await first.Locator("[data-testid=suggestion-show]").ClickAsync();
        await page.WaitForFunctionAsync($"t => {{ const v = document.getElementById('video'); return v.paused && Math.abs(v.currentTime - t) < 0.05; }}", face.Keyframes[0].T);
        await Expect(page.Locator("[data-testid=redact-region]")).ToHaveCountAsync(0);
        await shots.TakeAsync(page, "suggestion-shown");

        // Accepted: a region of the draft with the detector's key positions, the decision kept on the server.
        await first.Locator("[data-testid=suggestion-accept]").ClickAsync();
        await Expect(first).ToHaveAttributeAsync("data-decision", SuggestionDecision.Accepted);
        await Expect(page.Locator("[data-testid=redact-region]")).ToHaveAttributeAsync("data-keys", face.Keyframes.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var decided = (await suggestions.FindAsync(run.Id, Token))!.Suggestions[0];
        Assert.Equal(SuggestionDecision.Accepted, decided.Decision);
        Assert.Equal(reviewer.Id, decided.DecidedBy);

        await page.FillAsync("[data-testid=redact-reason]", "公示前遮挡人脸 hide the face");
        await page.ClickAsync("[data-testid=save-draft]");
        await Expect(page.Locator("[data-testid=redact-message]")).ToHaveClassAsync("ok");
        var row = page.Locator("tr[data-testid=redaction][data-state=draft]");
        await Expect(row).ToHaveCountAsync(1);
        var draft = (await _world.Player.Services.GetRequiredService<RedactionStore>().FindAsync(Guid.Parse((await row.GetAttributeAsync("data-id"))!), Token))!;
        var region = Assert.Single(draft.Spec.RegionList);
        Assert.Equal(RedactionRegion.Rectangle, region.Shape);
        Assert.Equal(face.Keyframes.Count, region.KeyframeList.Count);
        foreach (var (given, saved) in face.Keyframes.Zip(region.KeyframeList))
        {
            Assert.True(
                Math.Abs(given.T - saved.T) < 1e-6 && Math.Abs(given.X - saved.X) < 1e-6 && Math.Abs(given.Y - saved.Y) < 1e-6 &&
                Math.Abs(given.W - saved.W) < 1e-6 && Math.Abs(given.H - saved.H) < 1e-6,
                $"suggested {given}, saved {saved}");
        }

        await shots.TakeAsync(page, "suggestion-accepted");

        // Reloaded: the run is picked up again with its decision; it cannot be decided twice from the page.
        await page.ReloadAsync();
        await StartViewingAsync(page);
        await Expect(found.First).ToHaveAttributeAsync("data-decision", SuggestionDecision.Accepted);
        await Expect(found.First.Locator("[data-testid=suggestion-accept]")).ToHaveCountAsync(0);
        await Expect(found.First.Locator("[data-testid=suggestion-add]")).ToBeVisibleAsync();

        // A later run: its suggestion rejected, the decision kept, and nothing added to the editor. The page says
        // it is looking only once the server has queued the run, so the job is there for the worker.
        await page.ClickAsync("[data-testid=suggest-find]");
        await Expect(page.Locator("[data-testid=suggest-message]")).ToHaveTextAsync("正在检测人脸……");
        await Expect(page.Locator("[data-testid=suggest-find]")).ToBeDisabledAsync();
        await _world.SuggestAsync(recordingId, Token);
        await Expect(found.First).ToHaveAttributeAsync("data-decision", string.Empty, new() { Timeout = 15_000 });
        var later = (await suggestions.LatestAsync(recordingId, Token))!;
        Assert.NotEqual(run.Id, later.Id);
        await found.First.Locator("[data-testid=suggestion-reject]").ClickAsync();
        await Expect(found.First).ToHaveAttributeAsync("data-decision", SuggestionDecision.Rejected);
        await Expect(page.Locator("[data-testid=redact-region]")).ToHaveCountAsync(0);
        Assert.Equal(SuggestionDecision.Rejected, (await suggestions.FindAsync(later.Id, Token))!.Suggestions[0].Decision);
        await shots.TakeAsync(page, "suggestion-rejected");
        problems.AssertNone();
    }

    private static async Task StartViewingAsync(IPage page)
    {
        await page.FillAsync("[data-testid=reason]", "公示前处理：核对人脸建议");
        await page.ClickAsync("[data-testid=start]");
        await Expect(page.Locator("[data-testid=redact-editor]")).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("() => { const v = document.getElementById('video'); return v.readyState >= 2 && v.videoWidth > 0; }");
    }

    /// <summary>A clip of a real face moving across the picture through the real pipeline, the player over it, and a reviewer of its unit.</summary>
    private async Task<(Guid RecordingId, UserAccount Reviewer, string Password)> SeedAsync()
    {
        var unit = $"U{Guid.NewGuid():N}"[..12];
        var officer = $"{Random.Shared.Next(100000, 999999)}";
        var clip = _world.Work.Combine("face.mp4");
        await FaceFootage.MovingAcrossAsync(clip, ClipSeconds, Token);
        var archived = await _world.IngestAsync(
            clip,
            new Delivery(SourceKind.Command, "station:TEST-DOCK", $"R1_{officer}_20260302100000.mp4", DeviceSerial: "R1", OfficerId: officer, UnitCode: unit),
            thumbnails: false,
            Token);

        var player = _world.StartPlayer();
        await player.Services.GetRequiredService<AdminService>().CreateUnitAsync(unit, "交警大队", null, "user:test", Token);
        const string password = "suggestion-password-123";
        var reviewer = await player.Services.GetRequiredService<AccountService>().CreateAsync(
            $"sug{Random.Shared.Next(10000, 99999)}", "审查员", unit, [Roles.Reviewer], password, mustChangePassword: false, "user:test", Token);
        return (archived.RecordingId, reviewer, password);
    }
}
