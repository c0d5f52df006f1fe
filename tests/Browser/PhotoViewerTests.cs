using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Player.Admin;
using Enforcement.Media.Storage.Recordings;
using Enforcement.Media.Tests.Ingest.Media;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Enforcement.Media.Tests.Browser;

/// <summary>
/// Photos are evidence too: a reviewer (who may not see originals) opens a phone's portrait photo in
/// Debian's Chromium within a logged viewing of its viewing copy, made by the real rendition job, and zooms
/// and turns it. The picture is the upright one; the redaction editor waits while the view is zoomed or
/// turned and comes back when it is fitted again.
/// </summary>
public sealed class PhotoViewerTests : IAsyncLifetime
{
    private readonly KestrelWorld _world = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => _world.InitializeAsync();

    public ValueTask DisposeAsync() => _world.DisposeAsync();

    [Fact]
    public async Task A_reviewer_views_a_photo_upright_zooms_and_turns_it_and_draws_only_on_the_fitted_view()
    {
        var unit = $"U{Guid.NewGuid():N}"[..12];
        var officer = $"{Random.Shared.Next(100000, 999999)}";
        var photo = _world.Work.Combine("IMG_0001.jpg");
        await OrientedPhoto.MakeAsync(photo, OrientedPhoto.TurnClockwise, Token);
        var archived = await _world.IngestAsync(
            photo,
            new Delivery(SourceKind.Command, "station:TEST-DOCK", $"R1_{officer}_20260302100000.jpg", DeviceSerial: "R1", OfficerId: officer, UnitCode: unit),
            thumbnails: false,
            Token);
        var player = _world.StartPlayer();
        await player.Services.GetRequiredService<AdminService>().CreateUnitAsync(unit, "交警大队", null, "user:test", Token);
        const string password = "photo-viewer-password-123";
        var reviewer = await player.Services.GetRequiredService<AccountService>().CreateAsync(
            $"pho{Random.Shared.Next(10000, 99999)}", "审查员", unit, [Roles.Reviewer], password, mustChangePassword: false, "user:test", Token);

        var shots = new Screenshots("photo-viewer");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        await using var context = await _world.NewContextAsync(browser);
        var page = await context.NewPageAsync();
        var problems = await PageProblems.WatchAsync(page);
        await PageProblems.SignInAsync(page, reviewer.Username, password);
        await page.GotoAsync($"/recordings/{archived.RecordingId}");

        // The viewing copy is offered to a reviewer, and only it: originals are for the roles that may.
        await Expect(page.Locator("[data-testid=variant] option")).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-testid=variant]")).ToHaveValueAsync("rendition");
        await page.FillAsync("[data-testid=reason]", "核对现场照片中的车牌");
        await page.ClickAsync("[data-testid=start]");
        var image = page.Locator("[data-testid=photo]");
        await Expect(image).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("() => { const p = document.getElementById('photo'); return p && p.complete && p.naturalWidth > 0; }");
        Assert.Equal(
            new[] { OrientedPhoto.StoredHeight, OrientedPhoto.StoredWidth },
            await image.EvaluateAsync<int[]>("p => [p.naturalWidth, p.naturalHeight]"));
        await Expect(page.Locator("[data-testid=still-controls]")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=seek]")).ToBeHiddenAsync();
        await Expect(page.Locator("[data-testid=redact-canvas]")).ToBeVisibleAsync();
        var fitted = await image.EvaluateAsync<double>("p => p.getBoundingClientRect().width");

        // Zoomed in: larger than fitted; the editor does not draw on a zoomed picture.
        await page.ClickAsync("[data-testid=zoom-in]");
        await page.ClickAsync("[data-testid=zoom-in]");
        var zoomed = await image.EvaluateAsync<double>("p => p.getBoundingClientRect().width");
        Assert.True(zoomed > fitted * 1.5, $"zoomed {zoomed} px wide, fitted {fitted} px");
        await Expect(page.Locator("[data-testid=redact-canvas]")).ToBeHiddenAsync();
        await Expect(page.Locator("[data-testid=redact-message]")).ToHaveClassAsync("error");

        // 1:1 is the photo's own pixels; turned right it lies the other way round.
        await page.ClickAsync("[data-testid=zoom-actual]");
        await page.ClickAsync("[data-testid=turn-right]");
        await Expect(page.Locator("[data-testid=still-controls]")).ToHaveAttributeAsync("data-turn", "90");
        var box = await image.EvaluateAsync<double[]>("p => { const r = p.getBoundingClientRect(); return [r.width, r.height]; }");
        Assert.True(Math.Abs(box[0] - OrientedPhoto.StoredWidth) < 2 && Math.Abs(box[1] - OrientedPhoto.StoredHeight) < 2, $"turned, the box is {box[0]}×{box[1]}");
        await shots.TakeAsync(page, "turned");

        // Fitted again: the editor draws once more.
        await page.ClickAsync("[data-testid=zoom-fit]");
        await Expect(page.Locator("[data-testid=still-controls]")).ToHaveAttributeAsync("data-turn", "0");
        await Expect(page.Locator("[data-testid=redact-canvas]")).ToBeVisibleAsync();
        Assert.True(Math.Abs(await image.EvaluateAsync<double>("p => p.getBoundingClientRect().width") - fitted) < 1);
        problems.AssertNone();
    }
}
