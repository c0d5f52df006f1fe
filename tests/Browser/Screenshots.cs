using Enforcement.Media.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Enforcement.Media.Tests.Browser;

/// <summary>Screenshots as test artefacts: <c>tests/artifacts/screenshots/&lt;scenario&gt;/NN-step.png</c> (gitignored).</summary>
public sealed class Screenshots(string scenario)
{
    private int _step;

    public string Folder { get; } = Repository.PathOf("tests", "artifacts", "screenshots", scenario);

    public async Task TakeAsync(IPage page, string step)
    {
        Directory.CreateDirectory(Folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Folder, $"{++_step:00}-{step}.png"), FullPage = true });
    }
}
