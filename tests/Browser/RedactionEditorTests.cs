using System.Globalization;
using System.Text.Json;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Player.Admin;
using Enforcement.Media.Player.Publications;
using Enforcement.Media.Player.Visibility;
using Enforcement.Media.Storage.Jobs;
using Enforcement.Media.Storage.Recordings;
using Enforcement.Media.Storage.Redactions;
using Enforcement.Media.Tests.Ingest.Media;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Enforcement.Media.Tests.Browser;

/// <summary>
/// The redaction editor in Debian's Chromium against the real player on Kestrel, over real footage made by the
/// real media jobs: a reviewer starts a viewing, draws a region with the mouse over the playing picture at one
/// time and moves it at another (two key positions), adds an audio range from the current time, sees the
/// preview (the picture blurred under the region, the sound muted in the range), saves a draft, reloads the
/// page, finds and reopens the draft, and renders it. What is queued is the spec drawn: coordinates as
/// fractions of the displayed picture, close to where the mouse went.
/// </summary>
public sealed class RedactionEditorTests : IAsyncLifetime
{
    private const double ClipSeconds = 6;
    private const int FrameRate = 25;
    private const double Tolerance = 0.01;

    private readonly KestrelWorld _world = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => _world.InitializeAsync();

    public ValueTask DisposeAsync() => _world.DisposeAsync();

    [Fact]
    public async Task A_reviewer_draws_a_moving_region_and_an_audio_range_saves_a_draft_reopens_it_renders_it_and_the_approved_copy_plays_at_its_public_address()
    {
        var world = await SeedAsync();
        var shots = new Screenshots("redaction-editor");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        await using var context = await _world.NewContextAsync(browser);
        var page = await context.NewPageAsync();
        var problems = await PageProblems.WatchAsync(page);
        await PageProblems.SignInAsync(page, world.Reviewer, world.Password);

        // The editor waits for a viewing: it draws on the picture the reviewer is watching, nothing else.
        await page.GotoAsync($"/recordings/{world.RecordingId}");
        await Expect(page.Locator("[data-testid=redact-needs-viewing]")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=redact-editor]")).ToBeHiddenAsync();
        await StartViewingAsync(page);
        await Expect(page.Locator("[data-testid=redact-editor]")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=redact-canvas]")).ToBeVisibleAsync();

        // A rectangle drawn at 1 s, then moved at 3 s: two key positions.
        await SeekAsync(page, 1);
        await DragAsync(page, (0.2, 0.3), (0.4, 0.6));
        await Expect(page.Locator("[data-testid=redact-region]")).ToHaveAttributeAsync("data-keys", "1");
        await SeekAsync(page, 3);
        await DragAsync(page, (0.3, 0.45), (0.6, 0.65));
        await Expect(page.Locator("[data-testid=redact-region]")).ToHaveAttributeAsync("data-keys", "2");

        // Preview at 3 s: the picture is drawn (blurred) inside the region, nothing outside it.
        Assert.True(await OverlayPaintedAsync(page, (0.6, 0.65)), "the preview paints inside the region");
        Assert.False(await OverlayPaintedAsync(page, (0.1, 0.1)), "the preview leaves the rest of the picture alone");
        await shots.TakeAsync(page, "region-drawn");

        // The sound muted from 2 s to 2.5 s, set from the current time.
        await SeekAsync(page, 2);
        await page.ClickAsync("[data-testid=range-from-now]");
        await SeekAsync(page, 2.5);
        await page.ClickAsync("[data-testid=range-to-now]");
        await page.SelectOptionAsync("[data-testid=audio-mode]", "mute");
        await page.ClickAsync("[data-testid=add-audio]");
        await Expect(page.Locator("[data-testid=redact-audio]")).ToHaveCountAsync(1);

        // The preview mutes the video in the range and gives the sound back after it.
        await SeekAsync(page, 2.2);
        await page.WaitForFunctionAsync("() => document.getElementById('video').muted");
        await SeekAsync(page, 4);
        await page.WaitForFunctionAsync("() => !document.getElementById('video').muted");

        // The reason is required; then the draft is saved.
        await page.ClickAsync("[data-testid=save-draft]");
        await Expect(page.Locator("[data-testid=redact-message]")).ToHaveClassAsync("error");
        await page.FillAsync("[data-testid=redact-reason]", "公示前遮挡当事人面部 hide the bystander's face");

        // What only the server knows is shown by field next to the form: a range past the end of the recording.
        await page.FillAsync("[data-testid=range-from]", "1");
        await page.FillAsync("[data-testid=range-to]", "60");
        await page.ClickAsync("[data-testid=add-audio]");
        await page.ClickAsync("[data-testid=save-draft]");
        await Expect(page.Locator("[data-testid=redact-errors] li[data-field='audio[0].to']")).ToHaveCountAsync(1);
        await shots.TakeAsync(page, "refused-by-field");
        await page.Locator("[data-testid=redact-audio]").First.Locator("[data-testid=redact-audio-delete]").ClickAsync();
        await Expect(page.Locator("[data-testid=redact-audio]")).ToHaveCountAsync(1);
        await page.ClickAsync("[data-testid=save-draft]");
        await Expect(page.Locator("[data-testid=redact-message]")).ToHaveClassAsync("ok");
        var row = page.Locator("tr[data-testid=redaction][data-state=draft]");
        await Expect(row).ToHaveCountAsync(1);
        var redactionId = Guid.Parse((await row.GetAttributeAsync("data-id"))!);
        await shots.TakeAsync(page, "draft-saved");

        // After a reload the draft is listed; opened again it is exactly what was drawn.
        await page.ReloadAsync();
        await Expect(page.Locator($"tr[data-testid=redaction][data-id='{redactionId}'][data-state=draft]")).ToBeVisibleAsync();
        await page.ClickAsync($"tr[data-id='{redactionId}'] [data-testid=edit]");
        await Expect(page.Locator("[data-testid=redact-editing]")).ToContainTextAsync(redactionId.ToString());
        await StartViewingAsync(page);
        await Expect(page.Locator("[data-testid=redact-region]")).ToHaveAttributeAsync("data-keys", "2");
        await Expect(page.Locator("[data-testid=redact-audio]")).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-testid=redact-reason]")).ToHaveValueAsync("公示前遮挡当事人面部 hide the bystander's face");
        await shots.TakeAsync(page, "draft-reopened");

        // Render: the draft is saved as it is and queued; the list follows its state.
        await page.ClickAsync("[data-testid=render]");
        await Expect(page.Locator("[data-testid=redact-message]")).ToHaveClassAsync("ok");
        await Expect(page.Locator("[data-testid=redact-items] li")).ToHaveCountAsync(0);
        await RenderAsync(page, redactionId, world.Unit);
        await AssertSpecDrawnAsync(redactionId);
        await shots.TakeAsync(page, "render-queued");
        problems.AssertNone();
    }

    /// <summary>
    /// THE RENDER STEP: the queued redaction is rendered by the worker's real job (ffmpeg from the original),
    /// the list on the page turns it ready by itself, and its output is what the public address will serve
    /// once published: the office asks, the copy with its watermark is rendered by the real job too, another
    /// user approves, and an anonymous browser plays it.
    /// </summary>
    private async Task RenderAsync(IPage page, Guid redactionId, string unit)
    {
        await Expect(page.Locator($"tr[data-testid=redaction][data-id='{redactionId}']")).ToHaveAttributeAsync("data-state", RedactionState.Queued);
        var redactions = _world.Player.Services.GetRequiredService<RedactionStore>();
        Assert.Equal(RedactionState.Queued, (await redactions.FindAsync(redactionId, Token))!.State);

        await _world.RenderAsync(JobKinds.Redaction, redactionId, Token);
        await Expect(page.Locator($"tr[data-testid=redaction][data-id='{redactionId}']")).ToHaveAttributeAsync("data-state", RedactionState.Ready, new() { Timeout = 30_000 });
        var rendered = (await redactions.FindAsync(redactionId, Token))!;
        Assert.NotNull(rendered.Output);
        Assert.Equal("video/mp4", rendered.Output.ContentType);

        var services = _world.Player.Services;
        var recording = rendered.RecordingId;
        var accounts = services.GetRequiredService<AccountService>();
        var office = await accounts.CreateAsync($"pub{Random.Shared.Next(10000, 99999)}", "公示人员", unit, [Roles.Publisher], "publisher-password-123", mustChangePassword: false, "user:test", Token);
        var supervisor = await accounts.CreateAsync($"sup{Random.Shared.Next(10000, 99999)}", "监督人员", unit, [Roles.Supervisor], "supervisor-password-123", mustChangePassword: false, "user:test", Token);
        var publications = services.GetRequiredService<PublicationService>();
        var asked = await publications.RequestAsync(new Viewer(office.Id, $"user:{office.Username}", unit), redactionId, new NewPublication("执法过程公示", "依法公示"), Token);
        await _world.RenderAsync(JobKinds.Publication, asked.Id, Token);
        var published = await publications.DecideAsync(new Viewer(supervisor.Id, $"user:{supervisor.Username}", unit), asked.Id, new PublicationDecision(true, "已审核 reviewed", 7), Token);
        Assert.Equal(recording, published.RecordingId);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        await using var anonymous = await _world.NewContextAsync(browser);
        var publicPage = await anonymous.NewPageAsync();
        var answer = await publicPage.GotoAsync(published.PublicPath!);
        Assert.Equal(200, answer!.Status);
        await Expect(publicPage.Locator(".public-watermark")).ToContainTextAsync("公示");
        await publicPage.EvalOnSelectorAsync("video", "v => { v.muted = true; return v.play(); }");
        await publicPage.WaitForFunctionAsync("() => document.querySelector('video').currentTime > 0.5", null, new() { Timeout = 30_000 });
    }

    /// <summary>The queued spec is the one drawn: two key positions where the mouse put the region, the audio range.</summary>
    private async Task AssertSpecDrawnAsync(Guid redactionId)
    {
        var spec = (await _world.Player.Services.GetRequiredService<RedactionStore>().FindAsync(redactionId, Token))!.Spec;
        var region = Assert.Single(spec.RegionList);
        Assert.Equal(RedactionRegion.Rectangle, region.Shape);
        Assert.Null(region.From);
        Assert.Null(region.To);
        Assert.Collection(
            region.KeyframeList,
            first => Near(new RegionKeyframe(1, 0.2, 0.3, 0.2, 0.3), first),
            second => Near(new RegionKeyframe(3, 0.5, 0.5, 0.2, 0.3), second));
        var audio = Assert.Single(spec.AudioList);
        Assert.Equal(AudioRedaction.Mute, audio.Mode);
        Assert.True(Math.Abs(audio.From - 2) < 0.002 && Math.Abs(audio.To - 2.5) < 0.002, $"audio {audio.From}–{audio.To}, expected 2–2.5 (set to the millisecond)");
        Assert.Empty(spec.FullFrameList);
    }

    private static void Near(RegionKeyframe expected, RegionKeyframe actual)
    {
        var why = $"expected about {JsonSerializer.Serialize(expected)}, got {JsonSerializer.Serialize(actual)}";
        Assert.True(Math.Abs(expected.T - actual.T) < 0.05, why);
        Assert.True(Math.Abs(expected.X - actual.X) < Tolerance && Math.Abs(expected.Y - actual.Y) < Tolerance, why);
        Assert.True(Math.Abs(expected.W - actual.W) < Tolerance && Math.Abs(expected.H - actual.H) < Tolerance, why);
    }

    private static async Task StartViewingAsync(IPage page)
    {
        await page.FillAsync("[data-testid=reason]", "公示前处理：标注需遮挡的内容");
        await page.ClickAsync("[data-testid=start]");
        await Expect(page.Locator("[data-testid=stage]")).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("() => { const v = document.getElementById('video'); return v.readyState >= 2 && v.videoWidth > 0; }");
    }

    /// <summary>Moves the picture to <paramref name="seconds"/> (as the seek bar does) and waits until it is shown.</summary>
    private static async Task SeekAsync(IPage page, double seconds)
    {
        var at = seconds.ToString(CultureInfo.InvariantCulture);
        await page.EvalOnSelectorAsync("#video", $"v => {{ v.pause(); v.currentTime = {at}; }}");
        await page.WaitForFunctionAsync($"() => {{ const v = document.getElementById('video'); return !v.seeking && Math.abs(v.currentTime - {at}) < 0.001 && v.readyState >= 2; }}");
    }

    /// <summary>A mouse drag over the picture between two points given as fractions of the displayed picture.</summary>
    private static async Task DragAsync(IPage page, (double X, double Y) from, (double X, double Y) to)
    {
        var picture = await PictureAsync(page);
        await page.Mouse.MoveAsync(picture.X + (float)(from.X * picture.W), picture.Y + (float)(from.Y * picture.H));
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(picture.X + (float)(to.X * picture.W), picture.Y + (float)(to.Y * picture.H), new MouseMoveOptions { Steps = 8 });
        await page.Mouse.UpAsync();
    }

    /// <summary>Where the picture is on the page: the video element's box, letterboxed as the browser draws it.</summary>
    private static async Task<(float X, float Y, float W, float H)> PictureAsync(IPage page)
    {
        var box = await page.EvalOnSelectorAsync<float[]>("#video", """
            v => {
              const r = v.getBoundingClientRect();
              const scale = Math.min(r.width / v.videoWidth, r.height / v.videoHeight);
              const w = v.videoWidth * scale, h = v.videoHeight * scale;
              return [r.left + (r.width - w) / 2, r.top + (r.height - h) / 2, w, h];
            }
            """);
        return (box[0], box[1], box[2], box[3]);
    }

    /// <summary>Whether the overlay has painted anything at a point of the picture (after the next frame is drawn).</summary>
    private static async Task<bool> OverlayPaintedAsync(IPage page, (double X, double Y) at)
    {
        var x = at.X.ToString(CultureInfo.InvariantCulture);
        var y = at.Y.ToString(CultureInfo.InvariantCulture);
        return await page.EvaluateAsync<bool>($$"""
            () => new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(() => {
              const v = document.getElementById('video');
              const c = document.getElementById('redact-canvas');
              const r = v.getBoundingClientRect(), cr = c.getBoundingClientRect();
              const scale = Math.min(r.width / v.videoWidth, r.height / v.videoHeight);
              const w = v.videoWidth * scale, h = v.videoHeight * scale;
              const px = (r.left - cr.left + (r.width - w) / 2 + {{x}} * w) * (c.width / cr.width);
              const py = (r.top - cr.top + (r.height - h) / 2 + {{y}} * h) * (c.height / cr.height);
              resolve(c.getContext('2d').getImageData(Math.round(px), Math.round(py), 1, 1).data[3] > 0);
            })))
            """);
    }

    /// <summary>Real footage (an original with sound) through the real pipeline, the player on Kestrel over it, and a reviewer of its unit.</summary>
    private async Task<World> SeedAsync()
    {
        var unit = $"U{Guid.NewGuid():N}"[..12];
        var officer = $"{Random.Shared.Next(100000, 999999)}";
        var clip = _world.Work.Combine("clip.mp4");
        await Footage.H264AacAsync(clip, Token, ClipSeconds, "640x360", FrameRate);
        var archived = await _world.IngestAsync(
            clip,
            new Delivery(SourceKind.Command, "station:TEST-DOCK", $"R1_{officer}_20260302100000.mp4", DeviceSerial: "R1", OfficerId: officer, UnitCode: unit),
            thumbnails: false,
            Token);

        var player = _world.StartPlayer();
        await player.Services.GetRequiredService<AdminService>().CreateUnitAsync(unit, "城管执法二中队", null, "user:test", Token);
        const string password = "redaction-password-123";
        var reviewer = await player.Services.GetRequiredService<AccountService>().CreateAsync(
            $"red{Random.Shared.Next(10000, 99999)}", "审查员", unit, [Roles.Reviewer], password, mustChangePassword: false, "user:test", Token);
        return new World(archived.RecordingId, reviewer.Username, password, unit);
    }

    private sealed record World(Guid RecordingId, string Reviewer, string Password, string Unit);
}
