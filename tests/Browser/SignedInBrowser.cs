using Microsoft.Playwright;

namespace Enforcement.Media.Tests.Browser;

/// <summary>
/// Debian's Chromium with one page on a world's player, signed in as a user and watched for script errors and
/// Content-Security-Policy violations (<see cref="Problems"/>); disposing it closes the browser.
/// </summary>
public sealed class SignedInBrowser : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly IBrowserContext _context;

    private SignedInBrowser(IPlaywright playwright, IBrowser browser, IBrowserContext context, IPage page, PageProblems problems)
    {
        (_playwright, _browser, _context, Page, Problems) = (playwright, browser, context, page, problems);
    }

    public IPage Page { get; }

    public PageProblems Problems { get; }

    public static async Task<SignedInBrowser> OpenAsync(KestrelWorld world, string username, string password)
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await Chromium.LaunchAsync(playwright);
        var context = await world.NewContextAsync(browser);
        var page = await context.NewPageAsync();
        var signedIn = new SignedInBrowser(playwright, browser, context, page, await PageProblems.WatchAsync(page));
        await PageProblems.SignInAsync(page, username, password);
        return signedIn;
    }

    public async ValueTask DisposeAsync()
    {
        await _context.DisposeAsync();
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
