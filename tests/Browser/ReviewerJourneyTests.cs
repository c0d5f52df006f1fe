using System.Globalization;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Player.Admin;
using Enforcement.Media.Storage.Cases;
using Enforcement.Media.Storage.Recordings;
using Enforcement.Media.Tests.Ingest.Media;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Enforcement.Media.Tests.Browser;

/// <summary>
/// The reviewer's journey: Debian's Chromium, driven by Playwright, against the real player on Kestrel with
/// real PostgreSQL and a filesystem store holding a real rendition and thumbnail sprite made by the real
/// media jobs (ffmpeg) from lavfi footage. A reviewer signs in, finds the case, opens it and a recording,
/// gives a reason, plays, changes speed, seeks (with the thumbnail preview), steps frames and adds a marker;
/// a supervisor then finds this viewing with its watched interval in the access ledger. No footage is
/// requested before the session exists, and the Content-Security-Policy blocks nothing the pages use.
/// Screenshots of every step go to tests/artifacts/screenshots.
/// </summary>
public sealed class ReviewerJourneyTests : IAsyncLifetime
{
    private const double ClipSeconds = 8;
    private const int FrameRate = 25;
    private static readonly DateTimeOffset RecordedAt = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    private readonly KestrelWorld _world = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => _world.InitializeAsync();

    public ValueTask DisposeAsync() => _world.DisposeAsync();

    [Fact]
    public async Task A_reviewer_finds_the_case_watches_with_a_reason_seeks_steps_frames_and_marks_and_the_ledger_shows_the_viewing()
    {
        var world = await SeedAsync();
        var shots = new Screenshots("reviewer-journey");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        await using var context = await _world.NewContextAsync(browser);
        var page = await context.NewPageAsync();
        var requests = new List<string>();
        page.Request += (_, request) => requests.Add($"{request.Method} {new Uri(request.Url).PathAndQuery}");
        var problems = await PageProblems.WatchAsync(page);

        // Sign in.
        await PageProblems.SignInAsync(page, world.Reviewer, world.Password);
        await shots.TakeAsync(page, "signed-in");

        // Find the case by search.
        var search = await page.GotoAsync("/cases");
        Assert.Contains("script-src 'self'", await search!.HeaderValueAsync("content-security-policy"), StringComparison.Ordinal);
        await page.FillAsync("#number", world.CaseNumber);
        await page.ClickAsync("[data-testid=search]");
        var row = page.Locator($"tr[data-case='{world.CaseNumber}']");
        await Expect(row).ToBeVisibleAsync();
        await Expect(page.Locator("table[data-testid=cases] tbody tr")).ToHaveCountAsync(1);
        await shots.TakeAsync(page, "case-search");

        // Open the case: its stage, the seizure with its footage on the timeline and the gap after it.
        await row.Locator("a").ClickAsync();
        await Expect(page.Locator("[data-testid=case-number]")).ToHaveTextAsync(world.CaseNumber);
        var seizure = page.Locator("[data-activity='SEIZE-1']");
        await Expect(seizure.Locator("[data-testid=footage]")).ToHaveCountAsync(1);
        await Expect(seizure.Locator("[data-testid=gap]")).Not.ToHaveCountAsync(0);
        await shots.TakeAsync(page, "case");

        // Open the recording: metadata and hash are there; nothing of the footage has been asked for.
        await seizure.Locator("a[data-testid=recording-link]").ClickAsync();
        await Expect(page.Locator("[data-testid=sha256]")).ToHaveTextAsync(world.Sha256);
        await Expect(page.Locator("[data-testid=frame-rate]")).ToContainTextAsync("25");
        await shots.TakeAsync(page, "recording");
        Assert.DoesNotContain(requests, r => IsFootage(r) || r.Contains("/sessions", StringComparison.Ordinal));

        // A reason is required: without one nothing starts.
        await page.ClickAsync("[data-testid=start]");
        Assert.DoesNotContain(requests, r => r.StartsWith("POST", StringComparison.Ordinal) && r.Contains("/sessions", StringComparison.Ordinal));

        // Give a reason and start the viewing: only now is footage requested.
        await page.FillAsync("[data-testid=reason]", "法制审核：复核查封现场执法过程");
        await page.ClickAsync("[data-testid=start]");
        await Expect(page.Locator("[data-testid=stage]")).ToBeVisibleAsync();
        var sessionAt = requests.FindIndex(r => r == $"POST /api/v1/recordings/{world.RecordingId}/sessions");
        Assert.True(sessionAt >= 0, string.Join('\n', requests));
        Assert.All(requests.Take(sessionAt), r => Assert.False(IsFootage(r), r));
        await shots.TakeAsync(page, "session-started");

        // Play, at double speed.
        await page.SelectOptionAsync("[data-testid=rate]", "2");
        await page.ClickAsync("[data-testid=play]");
        await page.WaitForFunctionAsync("() => { const v = document.getElementById('video'); return v.currentTime > 1 && !v.paused; }");
        Assert.Equal(2, await page.EvalOnSelectorAsync<double>("#video", "v => v.playbackRate"));
        await shots.TakeAsync(page, "playing");

        // Seek by clicking the middle of the seek bar; the thumbnail preview shows the sprite cell for that time.
        await page.ClickAsync("[data-testid=pause]");
        var seek = page.Locator("[data-testid=seek]");
        var box = (await seek.BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(box.X + (box.Width * 0.75f), box.Y + (box.Height / 2));
        await Expect(page.Locator("#preview")).ToBeVisibleAsync();
        await Expect(page.Locator("#preview-image")).ToHaveAttributeAsync("style", new System.Text.RegularExpressions.Regex("background-image"));
        // The sprite the cue names loads (within the session) before the screenshot is taken.
        await page.EvaluateAsync("""
            () => new Promise((resolve, reject) => {
              const url = getComputedStyle(document.getElementById('preview-image')).backgroundImage.slice(5, -2);
              const image = new Image();
              image.onload = resolve;
              image.onerror = () => reject(new Error('sprite did not load: ' + url));
              image.src = url;
            })
            """);
        await shots.TakeAsync(page, "seek-preview");
        await seek.ClickAsync(new LocatorClickOptions { Position = new Position { X = box.Width / 2, Y = box.Height / 2 } });
        await page.WaitForFunctionAsync($"() => Math.abs(document.getElementById('video').currentTime - {ClipSeconds / 2}) < 0.75");
        await shots.TakeAsync(page, "seeked");

        // Frame steps: exactly one frame (1/25 s) forward, then two back.
        var frame = await FrameAsync(page);
        await page.ClickAsync("[data-testid=frame-forward]");
        await page.WaitForFunctionAsync($"() => document.getElementById('time').dataset.frame === '{frame + 1}'");
        await page.ClickAsync("[data-testid=frame-back]");
        await page.ClickAsync("[data-testid=frame-back]");
        await page.WaitForFunctionAsync($"() => document.getElementById('time').dataset.frame === '{frame - 1}'");
        Assert.True(await page.EvalOnSelectorAsync<bool>("#video", "v => v.paused"));
        await shots.TakeAsync(page, "frame-step");

        // A marker at this moment: listed, ticked on the seek bar, and a click on it seeks there.
        var markedAt = await page.EvalOnSelectorAsync<double>("#video", "v => v.currentTime");
        await page.FillAsync("[data-testid=marker-note]", "当事人拒绝在查封清单上签字");
        await page.ClickAsync("[data-testid=marker-add]");
        await Expect(page.Locator("#markers li")).ToContainTextAsync("当事人拒绝在查封清单上签字");
        await Expect(page.Locator("#ticks .tick")).ToHaveCountAsync(1);
        await page.ClickAsync("[data-testid=frame-forward]");
        await page.ClickAsync("#ticks .tick");
        // Until the seek has finished: a play pressed while seeking reports "not playing", and credit would
        // start only at the next heartbeat, which on a loaded machine may come after the marker's second.
        await page.WaitForFunctionAsync($"() => {{ const v = document.getElementById('video'); return Math.abs(v.currentTime - {markedAt.ToString(CultureInfo.InvariantCulture)}) < 0.01 && !v.seeking; }}");
        await shots.TakeAsync(page, "marker");

        // Watch a little more, so the ledger has an interval, then leave the page (the session ends by beacon).
        await page.ClickAsync("[data-testid=play]");
        await page.WaitForFunctionAsync($"() => document.getElementById('video').currentTime > {markedAt.ToString(CultureInfo.InvariantCulture)} + 1");

        // Pause and leave at once: the pause heartbeat may never leave the page, and the end beacon's
        // state (its query) credits the stretch just played instead.
        await page.ClickAsync("[data-testid=pause]");
        await page.GotoAsync("/");
        problems.AssertNone();

        // The supervisor's ledger shows this viewing: who, which recording, the reason and the watched interval.
        var supervisor = await context.Browser!.NewPageAsync(new BrowserNewPageOptions { BaseURL = _world.Player.BaseAddress.ToString(), Locale = "zh-CN" });
        await PageProblems.SignInAsync(supervisor, world.Supervisor, world.Password);
        await supervisor.GotoAsync($"/ledger?recording={world.RecordingId}");
        var viewing = supervisor.Locator("tr[data-testid=ledger-entry]", new PageLocatorOptions { HasText = world.Reviewer });
        await Expect(viewing).ToHaveCountAsync(1);
        await Expect(viewing).ToContainTextAsync("法制审核：复核查封现场执法过程");
        await Expect(viewing.Locator("[data-testid=watched]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d\d:\d\d:\d\d–\d\d:\d\d:\d\d"));
        await shots.TakeAsync(supervisor, "ledger");

        // The seconds played after the marker (at 2×, at least one second of media) are among the watched
        // intervals. The session is ended by beacon as the reviewer's page goes, which the server may
        // handle after the ledger was first drawn: read it again (a fresh page) for up to ten seconds.
        // Credit starts where play was pressed (the page's 'play' heartbeat), so the stretch covers the
        // marker's whole second (the ledger shows whole seconds, start rounded down, end up).
        Predicate<(int From, int To)> coversMarker = w => w.From <= Math.Floor(markedAt) && w.To >= Math.Floor(markedAt) + 1;
        var watched = await WatchedAsync(viewing);
        for (var attempt = 0; attempt < 40 && !watched.Exists(coversMarker); attempt++)
        {
            await Task.Delay(250, TestContext.Current.CancellationToken);
            await supervisor.ReloadAsync();
            watched = await WatchedAsync(viewing);
        }

        Assert.Contains(watched, coversMarker);
    }

    private static async Task<List<(int From, int To)>> WatchedAsync(ILocator viewing) =>
        System.Text.RegularExpressions.Regex.Matches(await viewing.Locator("[data-testid=watched]").InnerTextAsync(), @"(\d\d):(\d\d):(\d\d)–(\d\d):(\d\d):(\d\d)")
            .Select(m => (From: Seconds(m, 1), To: Seconds(m, 4)))
            .ToList();

    private static int Seconds(System.Text.RegularExpressions.Match match, int group) =>
        (int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture) * 3600) + (int.Parse(match.Groups[group + 1].Value, CultureInfo.InvariantCulture) * 60)
        + int.Parse(match.Groups[group + 2].Value, CultureInfo.InvariantCulture);

    private static bool IsFootage(string request) =>
        request.Contains("/media", StringComparison.Ordinal) || request.Contains("thumbnail", StringComparison.OrdinalIgnoreCase)
        || request.Contains("sprite", StringComparison.OrdinalIgnoreCase) || request.Contains(".vtt", StringComparison.OrdinalIgnoreCase)
        || request.Contains("poster", StringComparison.OrdinalIgnoreCase);

    private static async Task<int> FrameAsync(IPage page) =>
        int.Parse(await page.EvalOnSelectorAsync<string>("#time", "t => t.dataset.frame"), CultureInfo.InvariantCulture);

    /// <summary>
    /// Real footage through the real pipeline (archive, probe, rendition and thumbnail jobs with ffmpeg), then
    /// the player on Kestrel over the same catalogue and store, a case the footage links to, and two users.
    /// </summary>
    private async Task<World> SeedAsync()
    {
        var unit = $"U{Guid.NewGuid():N}"[..12];
        var officer = $"{Random.Shared.Next(100000, 999999)}";
        const string device = "A1B2C3D";
        var clip = _world.Work.Combine("clip.mp4");
        await Footage.H264AacAsync(clip, Token, ClipSeconds, "640x360", FrameRate);
        var delivery = new Delivery(
            SourceKind.Command, "station:TEST-DOCK", $"{device}_{officer}_{RecordedAt:yyyyMMddHHmmss}.mp4", DeviceSerial: device, OfficerId: officer, UnitCode: unit, RecorderStartedAt: RecordedAt);
        var archived = await _world.IngestAsync(clip, delivery, thumbnails: true, Token);
        var recordingId = archived.RecordingId;
        var sha256 = archived.Sha256.Hex;

        var player = _world.StartPlayer();
        var services = player.Services;
        await services.GetRequiredService<AdminService>().CreateUnitAsync(unit, "城管执法一中队", null, "user:test", Token);
        var caseNumber = $"城管罚-{Random.Shared.Next(100000, 999999)}";
        var submitted = await services.GetRequiredService<CaseService>().SubmitAsync(
            new CaseInput(
                caseNumber,
                unit,
                "某公司 违法建设",
                "urban_management",
                CaseStatus.Open,
                RecordedAt.AddDays(-3),
                null,
                null,
                [],
                [new ActivityInput("SEIZE-1", "investigation", "seizure", RecordedAt.AddSeconds(-5), RecordedAt.AddSeconds(60), "某路 1 号", [officer])]),
            "user:test",
            Token);
        Assert.True(submitted.Accepted, string.Join("; ", submitted.Problems.Select(p => p.Message)));
        await services.GetRequiredService<RecordingLinker>().LinkRecordingAsync(recordingId, Token);
        const string password = "journey-password-123";
        var accounts = services.GetRequiredService<AccountService>();
        var reviewer = await accounts.CreateAsync($"rev{Random.Shared.Next(10000, 99999)}", "审查员", unit, [Roles.Reviewer], password, mustChangePassword: false, "user:test", Token);
        var supervisor = await accounts.CreateAsync($"sup{Random.Shared.Next(10000, 99999)}", "监督员", unit, [Roles.Supervisor], password, mustChangePassword: false, "user:test", Token);
        return new World(caseNumber, recordingId, sha256, reviewer.Username, supervisor.Username, password);
    }

    private sealed record World(string CaseNumber, Guid RecordingId, string Sha256, string Reviewer, string Supervisor, string Password);
}
