using Dapper;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Tests.Infrastructure;
using Enforcement.Media.Tests.Ingest.Media;
using Enforcement.Media.Tests.Player.Publications;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Enforcement.Media.Tests.Browser;

/// <summary>
/// 公示 in Debian's Chromium against the real player on Kestrel: the publication office finds a rendered
/// redaction, watches it in a logged viewing and asks for it to be published; a supervisor watches the redacted
/// output and approves on the page; someone on the internet, signed in nowhere, opens the public address, the
/// watermarked copy plays and the watermark is on the page; after the office withdraws it on the page, the
/// address answers 410. The worker's part (the rendered output, the watermarked copy) is done as
/// <see cref="RedactionHarness"/> does it, with real MP4s made by ffmpeg: random bytes do not play.
/// </summary>
public sealed class PublicationJourneyTests : IAsyncLifetime
{
    private readonly PlayerApp _app = new(new Dictionary<string, string>
    {
        // The player's own scripts and sheet: the test binaries' folder has no wwwroot.
        ["webroot"] = Repository.PathOf("player", "wwwroot"),
    });

    private readonly TempFolder _work = new();
    private readonly RedactionHarness _redactions;

    public PublicationJourneyTests() => _redactions = new RedactionHarness(_app);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => _app.InitializeAsync();

    public async ValueTask DisposeAsync()
    {
        await ((IAsyncDisposable)_app).DisposeAsync();
        _work.Dispose();
    }

    [Fact]
    public async Task The_office_asks_a_supervisor_approves_the_public_watch_the_watermarked_copy_and_after_withdrawal_it_is_gone()
    {
        var world = await SeedAsync();
        var shots = new Screenshots("publication");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);

        // The publication office: from its home page to the rendered redaction, a logged viewing of it, the request.
        await using var office = await Chromium.NewContextAsync(browser, _app.BaseAddress);
        var publisher = await office.NewPageAsync();
        var publisherProblems = await PageProblems.WatchAsync(publisher);
        await PageProblems.SignInAsync(publisher, world.Publisher, world.Password);
        await publisher.ClickAsync("[data-testid=home-publications] a");
        await publisher.ClickAsync($"tr[data-testid=ready-redaction][data-id='{world.RedactionId}'] [data-testid=open-redaction]");
        await Expect(publisher.Locator("[data-testid=redaction-state]")).ToHaveAttributeAsync("data-state", "ready");
        await WatchAsync(publisher, "公示前核对处理效果");
        await shots.TakeAsync(publisher, "office-watches-redacted");
        await publisher.FillAsync("[data-testid=publication-title]", "某路违法建设拆除执法过程公示");
        await publisher.FillAsync("[data-testid=publication-body]", "执法过程记录如下。\n当事人面部已作模糊处理。");
        await publisher.ClickAsync("[data-testid=publication-submit]");
        await Expect(publisher.Locator("[data-testid=done]")).ToBeVisibleAsync();
        var publicationId = await PublicationOfAsync(world.RedactionId);

        // The worker makes the watermarked copy.
        await _redactions.PublicationRenderedAsync(publicationId, content: world.Copy);

        // A supervisor watches the redacted output, then approves.
        await using var supervisorContext = await Chromium.NewContextAsync(browser, _app.BaseAddress);
        var supervisor = await supervisorContext.NewPageAsync();
        var supervisorProblems = await PageProblems.WatchAsync(supervisor);
        await PageProblems.SignInAsync(supervisor, world.Supervisor, world.Password);
        await supervisor.GotoAsync("/publications/approvals");
        var request = supervisor.Locator($"tr[data-testid=publication-request][data-id='{publicationId}']");
        await Expect(request.Locator("[data-testid=render-state]")).ToHaveAttributeAsync("data-state", "ready");
        await request.Locator("[data-testid=watch-redacted]").ClickAsync();
        await WatchAsync(supervisor, "审批公示前观看");
        await supervisor.GoBackAsync();
        await request.Locator("[data-testid=decision-reason]").FillAsync("已观看，处理到位，同意公示");
        await request.Locator("[data-testid=decision-days]").FillAsync("7");
        await shots.TakeAsync(supervisor, "decision");
        await request.Locator("[data-testid=approve]").ClickAsync();
        await Expect(supervisor.Locator("[data-testid=done]")).ToBeVisibleAsync();
        await shots.TakeAsync(supervisor, "approved");
        await supervisor.GotoAsync("/publications?state=published");
        var address = await supervisor.Locator($"tr[data-id='{publicationId}'] [data-testid=public-link]").GetAttributeAsync("href");
        Assert.Matches("^/public/[A-Za-z0-9_-]{43}$", address);

        // Someone on the internet: no sign-in, no cookies. The copy plays; the watermark is on the page.
        await using var strangerContext = await Chromium.NewContextAsync(browser, _app.BaseAddress);
        var stranger = await strangerContext.NewPageAsync();
        var strangerProblems = await PageProblems.WatchAsync(stranger);
        var opened = await stranger.GotoAsync(address!);
        Assert.Equal(200, opened!.Status);
        await Expect(stranger.Locator(".public-watermark")).ToHaveTextAsync(world.Watermark);
        await stranger.EvalOnSelectorAsync("video", "v => { v.muted = true; return v.play(); }");
        await stranger.WaitForFunctionAsync("() => { const v = document.querySelector('video'); return v.readyState >= 2 && v.currentTime > 0.5; }");
        await shots.TakeAsync(stranger, "public-page");

        // The office withdraws it on the page: the address is gone.
        await publisher.GotoAsync("/publications?state=published");
        var row = publisher.Locator($"tr[data-testid=publication][data-id='{publicationId}']");
        await row.Locator("[data-testid=withdraw-reason]").FillAsync("当事人申请，撤回公示");
        await row.Locator("[data-testid=withdraw]").ClickAsync();
        await Expect(publisher.Locator("[data-testid=done]")).ToBeVisibleAsync();
        await Expect(publisher.Locator($"tr[data-testid=publication][data-id='{publicationId}']")).ToHaveAttributeAsync("data-state", "withdrawn");
        await shots.TakeAsync(publisher, "withdrawn");
        var gone = await stranger.GotoAsync(address!);
        Assert.Equal(410, gone!.Status);

        publisherProblems.AssertNone();
        supervisorProblems.AssertNone();
        Assert.Empty(strangerProblems.Errors);
    }

    [Fact]
    public async Task On_the_recording_page_a_reviewer_switches_to_the_redacted_output_in_the_same_stage_ending_the_first_viewing_and_asks_for_publication()
    {
        var world = await SeedAsync();
        var shots = new Screenshots("redacted-in-stage");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        await using var context = await Chromium.NewContextAsync(browser, _app.BaseAddress, "en");
        var page = await context.NewPageAsync();
        var problems = await PageProblems.WatchAsync(page);
        await PageProblems.SignInAsync(page, world.Reviewer, world.Password);
        await page.GotoAsync($"/recordings/{world.RecordingId}");

        // A viewing of the rendition first (this harness's rendition is bytes, not a film: the session is what counts).
        await page.FillAsync("[data-testid=reason]", "reviewing before publication");
        await page.ClickAsync("[data-testid=start]");
        await Expect(page.Locator("[data-testid=stage]")).ToBeVisibleAsync();
        var first = await page.EvalOnSelectorAsync<string>("[data-player]", "p => p.dataset.sessionId");

        // "Watch redacted" needs its own reason, then plays the output in the same stage.
        var row = page.Locator($"tr[data-testid=redaction][data-id='{world.RedactionId}'][data-state=ready]");
        await row.Locator("[data-testid=watch-redacted]").ClickAsync();
        await Expect(page.Locator("[data-testid=redactions-message]")).ToHaveClassAsync("error");
        await page.FillAsync("[data-testid=watch-reason]", "checking the redacted output");
        await row.Locator("[data-testid=watch-redacted]").ClickAsync();
        await page.WaitForFunctionAsync($"() => document.querySelector('[data-player]').dataset.variant === 'redacted' && document.querySelector('[data-player]').dataset.sessionId !== '{first}'");
        await page.ClickAsync("[data-testid=play]");
        await page.WaitForFunctionAsync("() => { const v = document.getElementById('video'); return v.readyState >= 2 && v.currentTime > 0.3; }");
        await Expect(page.Locator("[data-testid=redact-back]")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=redact-editor]")).ToBeHiddenAsync();
        await shots.TakeAsync(page, "redacted-in-stage");

        await using (var connection = await _redactions.Playback.Catalogue.OpenConnectionAsync(Token))
        {
            var sessions = (await connection.QueryAsync<(Guid Id, string Variant, Guid? RedactionId, bool Ended)>(new CommandDefinition(
                "SELECT id, variant, redaction_id, ended_at IS NOT NULL FROM playback_sessions WHERE recording_id = @id ORDER BY started_at",
                new { id = world.RecordingId },
                cancellationToken: Token))).ToList();
            Assert.Equal(2, sessions.Count);
            Assert.Equal((Guid.Parse(first), "rendition", (Guid?)null, true), sessions[0]);
            Assert.Equal(("redacted", world.RedactionId, false), (sessions[1].Variant, sessions[1].RedactionId, sessions[1].Ended));
        }

        // The request from the list: a title is required (the server's answer names the field), then it is asked for.
        await row.Locator("[data-testid=request-publication]").ClickAsync();
        await page.ClickAsync("[data-testid=publication-submit]");
        await Expect(page.Locator("[data-testid=publication-errors] li[data-field=title]")).ToHaveCountAsync(1);
        await page.FillAsync("[data-testid=publication-title]", "Enforcement on Main St");
        await page.ClickAsync("[data-testid=publication-submit]");
        await Expect(page.Locator("[data-testid=publication-message]")).ToHaveClassAsync("ok");
        await Expect(page.Locator("[data-testid=publication-errors] li")).ToHaveCountAsync(0);
        await PublicationOfAsync(world.RedactionId);
        await shots.TakeAsync(page, "publication-requested");
        problems.AssertNone();
    }

    /// <summary>Starts a redacted viewing on a redaction's page with a reason and waits until its picture plays.</summary>
    private static async Task WatchAsync(IPage page, string reason)
    {
        await Expect(page.Locator("[data-testid=variant] option")).ToHaveCountAsync(1);
        await page.FillAsync("[data-testid=reason]", reason);
        await page.ClickAsync("[data-testid=start]");
        await Expect(page.Locator("[data-testid=stage]")).ToBeVisibleAsync();
        await page.ClickAsync("[data-testid=play]");
        await page.WaitForFunctionAsync("() => { const v = document.getElementById('video'); return v.readyState >= 2 && v.currentTime > 0.3; }");
        await page.ClickAsync("[data-testid=pause]");
    }

    private async Task<Guid> PublicationOfAsync(Guid redactionId)
    {
        await using var connection = await _redactions.Playback.Catalogue.OpenConnectionAsync(Token);
        return await connection.QuerySingleAsync<Guid>(new CommandDefinition(
            "SELECT id FROM publications WHERE redaction_id = @redactionId", new { redactionId }, cancellationToken: Token));
    }

    /// <summary>
    /// A recording of a case of the unit with a ready redaction whose output is a real MP4, the watermarked copy
    /// to come (another real MP4), and the office and a supervisor of the unit, with passwords to sign in with.
    /// </summary>
    private async Task<World> SeedAsync()
    {
        var redacted = _work.Combine("redacted.mp4");
        var copy = _work.Combine("copy.mp4");
        await Footage.H264AacAsync(redacted, Token, seconds: 4, size: "320x180", rate: 25, faststart: true);
        await Footage.H264AacAsync(copy, Token, seconds: 4, size: "320x180", rate: 25, faststart: true);

        var unit = await _redactions.Playback.Records.UnitAsync();
        var footage = await _redactions.ProbedAsync(unit);
        var caseNumber = $"公示-{Random.Shared.Next(100000, 999999)}";
        await _redactions.Playback.LinkToNewCaseAsync(caseNumber, unit, footage.RecordingId);
        var reviewer = await _redactions.Playback.ApiAsync([Roles.Reviewer], unit);
        var redactionId = await RedactionHarness.CreateAsync(reviewer, footage.RecordingId);
        await _redactions.RenderedAsync(redactionId, content: await File.ReadAllBytesAsync(redacted, Token));

        const string password = "publication-password-123";
        var accounts = _app.Service<AccountService>();
        var watcher = await accounts.CreateAsync($"rev{Random.Shared.Next(10000, 99999)}", "审查员", unit, [Roles.Reviewer], password, mustChangePassword: false, "user:test", Token);
        var office = await accounts.CreateAsync($"pub{Random.Shared.Next(10000, 99999)}", "公示办", unit, [Roles.Publisher], password, mustChangePassword: false, "user:test", Token);
        var supervisor = await accounts.CreateAsync($"sup{Random.Shared.Next(10000, 99999)}", "监督员", unit, [Roles.Supervisor], password, mustChangePassword: false, "user:test", Token);
        return new World(
            footage.RecordingId, redactionId, watcher.Username, office.Username, supervisor.Username, password, $"Enforcement.Media · {caseNumber} · 公示", await File.ReadAllBytesAsync(copy, Token));
    }

    private sealed record World(Guid RecordingId, Guid RedactionId, string Reviewer, string Publisher, string Supervisor, string Password, string Watermark, byte[] Copy);
}
