using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Enforcement.Media.Tests.Browser;

/// <summary>
/// What a page reports that a test must not ignore: script errors, and whatever the Content-Security-Policy
/// blocks — the pages must need nothing it forbids. Also the sign-in every journey starts with.
/// </summary>
public sealed class PageProblems
{
    public List<string> Errors { get; } = [];

    public List<string> Violations { get; } = [];

    public static async Task<PageProblems> WatchAsync(IPage page)
    {
        var problems = new PageProblems();
        page.PageError += (_, error) => problems.Errors.Add(error);
        await page.AddInitScriptAsync("document.addEventListener('securitypolicyviolation', e => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`))");
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("CSP violation", StringComparison.Ordinal) || message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                problems.Violations.Add(message.Text);
            }
        };
        return problems;
    }

    public void AssertNone()
    {
        Assert.Empty(Errors);
        Assert.Empty(Violations);
    }

    public static async Task SignInAsync(IPage page, string username, string password)
    {
        await page.GotoAsync("/accounts/login");
        await page.FillAsync("input[name=Username]", username);
        await page.FillAsync("input[name=Password]", password);
        await page.ClickAsync("[data-testid=login-submit]");
        await Expect(page.Locator("[data-testid=welcome]")).ToBeVisibleAsync();
    }
}
