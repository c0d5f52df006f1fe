using System.Net;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Tests.Infrastructure;

namespace Enforcement.Media.Tests.Player.Links;

/// <summary>
/// Linking by hand in the pages: from the recording page's "所属案件与环节" and from a search row to the link
/// page, a case's activities to choose from, the link shown with who and why, removal with a reason; refusals
/// shown on the page; no link controls for a records manager.
/// </summary>
public sealed class LinkPagesTests(PlayerApp app) : IClassFixture<PlayerApp>
{
    private readonly LinkHarness _links = new(app);

    private static CancellationToken Token => LinkHarness.Token;

    [Fact]
    public async Task From_the_recording_page_a_reviewer_links_footage_to_an_activity_and_removes_the_link_with_a_reason()
    {
        var scene = await _links.SceneAsync();
        var (browser, user) = await app.SignedInAsync([Roles.Reviewer], scene.Unit);

        var before = await PageAsync(browser, $"/recordings/{scene.Footage}");
        Assert.Contains("所属案件与环节", WebUtility.HtmlDecode(before), StringComparison.Ordinal);
        Assert.Contains("data-testid=\"no-links\"", before, StringComparison.Ordinal);
        Assert.Contains($"action=\"/recordings/{scene.Footage}/link\"", before, StringComparison.Ordinal);

        var chooser = await PageAsync(browser, $"/recordings/{scene.Footage}/link?case={Uri.EscapeDataString(scene.CaseNumber)}");
        Assert.Contains("关联至案件环节", WebUtility.HtmlDecode(chooser), StringComparison.Ordinal);
        Assert.Contains("data-testid=\"activity-SEIZE\"", chooser, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"case-only\"", chooser, StringComparison.Ordinal);

        var linked = await PostFormAsync(browser, $"/recordings/{scene.Footage}/link", new() { ["case"] = scene.CaseNumber, ["ActivityId"] = "SEIZE", ["Reason"] = "记录了扣押全程 <b>seen</b>" });

        Assert.Equal(HttpStatusCode.Redirect, linked.StatusCode);
        Assert.Equal($"/recordings/{scene.Footage}#links", linked.Headers.Location!.OriginalString);
        var after = await PageAsync(browser, $"/recordings/{scene.Footage}");
        var links = Section(after, "id=\"links\"");
        Assert.Contains($"/cases/{scene.CaseNumber}", links, StringComparison.Ordinal);
        Assert.Contains("人工", WebUtility.HtmlDecode(links), StringComparison.Ordinal);
        Assert.Contains($"user:{user.Username}", links, StringComparison.Ordinal);
        Assert.Contains("记录了扣押全程 <b>seen</b>", WebUtility.HtmlDecode(links), StringComparison.Ordinal);
        Assert.DoesNotContain("<b>seen</b>", links, StringComparison.Ordinal); // shown as text, never as markup
        Assert.Contains("自动（警号与时间）", WebUtility.HtmlDecode(Section(await PageAsync(browser, $"/recordings/{scene.Linked}"), "id=\"links\"")), StringComparison.Ordinal);

        var linkId = (await LinkHarness.LinksAsync(browser, scene.Footage)).Single().GetProperty("linkId").GetGuid();
        var removed = await PostFormAsync(browser, $"/recordings/{scene.Footage}/link?handler=Unlink", new() { ["LinkId"] = linkId.ToString(), ["Reason"] = "另一次扣押 another seizure" });

        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.Contains("data-testid=\"no-links\"", await PageAsync(browser, $"/recordings/{scene.Footage}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_link_page_says_why_it_refused_and_changes_nothing()
    {
        var scene = await _links.SceneAsync();
        var (browser, _) = await app.SignedInAsync([Roles.Supervisor], scene.Unit);
        var elsewhere = await _links.SceneAsync();
        var before = await _links.Records.AllEventsAsync();

        var noReason = await PostFormAsync(browser, $"/recordings/{scene.Footage}/link", new() { ["case"] = scene.CaseNumber, ["ActivityId"] = "SEIZE", ["Reason"] = "  " });
        var noCase = await browser.GetAsync($"/recordings/{scene.Footage}/link?case=NO-SUCH-CASE-404", Token);
        var noLink = await PostFormAsync(browser, $"/recordings/{scene.Footage}/link?handler=Unlink", new() { ["LinkId"] = Guid.NewGuid().ToString(), ["Reason"] = "nothing there" });
        var hidden = await browser.GetAsync($"/recordings/{elsewhere.Footage}/link", Token);

        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("data-testid=\"error\"", await noReason.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, noCase.StatusCode);
        Assert.Contains("没有您有权查看的案件 NO-SUCH-CASE-404", WebUtility.HtmlDecode(await noCase.Content.ReadAsStringAsync(Token)), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, noLink.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        Assert.Equal(before, await _links.Records.AllEventsAsync());
    }

    [Fact]
    public async Task A_search_row_leads_a_reviewer_to_the_link_page_and_a_records_manager_gets_no_link_controls()
    {
        var scene = await _links.SceneAsync();
        var (reviewer, _) = await app.SignedInAsync([Roles.Reviewer], scene.Unit);
        var (manager, _) = await app.SignedInAsync([Roles.RecordsManager], scene.Unit);
        var query = $"/recordings?unit={scene.Unit}";

        Assert.Contains($"href=\"/recordings/{scene.Footage}/link\"", await PageAsync(reviewer, query), StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"link-row\"", await PageAsync(manager, query), StringComparison.Ordinal);
        var page = await PageAsync(manager, $"/recordings/{scene.Linked}");
        Assert.DoesNotContain("data-testid=\"link-to-case\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"unlink-form\"", page, StringComparison.Ordinal);
    }

    private static async Task<string> PageAsync(HttpClient browser, string path)
    {
        var response = await browser.GetAsync(path, Token);
        var html = await response.Content.ReadAsStringAsync(Token);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
        return html;
    }

    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient browser, string path, Dictionary<string, string> form)
    {
        form["__RequestVerificationToken"] = await PlayerApp.AntiforgeryTokenAsync(browser, "/");
        return await browser.PostAsync(path, new FormUrlEncodedContent(form), Token);
    }

    /// <summary>The card that starts at <paramref name="marker"/>, up to the next card.</summary>
    private static string Section(string html, string marker)
    {
        var start = html.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(start >= 0, marker);
        var end = html.IndexOf("<div class=\"card\"", start, StringComparison.Ordinal);
        return end < 0 ? html[start..] : html[start..end];
    }
}
