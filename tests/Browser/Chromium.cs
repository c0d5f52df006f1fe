using Microsoft.Playwright;

namespace Enforcement.Media.Tests.Browser;

/// <summary>
/// Debian's Chromium driven by Playwright — never a downloaded browser.
/// A missing Chromium is a failure that says what to install, never a skip.
/// </summary>
public static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public static async Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"{ExecutablePath} is missing: the browser test drives Debian's chromium package (apt-get install chromium; scripts/test.sh does).");
        }

        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required",
            ],
        });
    }

    /// <summary>A fresh context (no cookies) on the player at <paramref name="baseAddress"/>, at the size the screenshots are taken.</summary>
    public static Task<IBrowserContext> NewContextAsync(IBrowser browser, Uri baseAddress, string locale = "zh-CN") =>
        browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            Locale = locale,
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
}
