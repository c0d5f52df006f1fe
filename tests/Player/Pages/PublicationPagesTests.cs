using System.Net;
using Dapper;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Tests.Infrastructure;
using Enforcement.Media.Tests.Player.Publications;

namespace Enforcement.Media.Tests.Player.Pages;

/// <summary>
/// The redaction editor's place on the recording page and the publication (公示) pages through the real app:
/// who gets the editor, the publication office kept to redacted outputs (no recording page, a redaction's page
/// offering only its output), requests, decisions and withdrawal by form post with the page's antiforgery token.
/// The editor itself and the public page in a browser are the browser tests'.
/// </summary>
public sealed class PublicationPagesTests(PlayerApp app) : IClassFixture<PlayerApp>
{
    private readonly RedactionHarness _redactions = new(app);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private sealed record Ready(string Unit, Guid RecordingId, Guid RedactionId);

    private async Task<Ready> ReadyAsync()
    {
        var unit = await _redactions.Playback.Records.UnitAsync();
        var footage = await _redactions.ProbedAsync(unit);
        await _redactions.Playback.LinkToNewCaseAsync($"页面-{Guid.NewGuid():N}"[..20], unit, footage.RecordingId);
        var reviewer = await _redactions.Playback.ApiAsync([Roles.Reviewer], unit);
        var id = await RedactionHarness.CreateAsync(reviewer, footage.RecordingId);
        await _redactions.RenderedAsync(id);
        return new Ready(unit, footage.RecordingId, id);
    }

    private static async Task<(HttpStatusCode Status, string Html)> PostFormAsync(HttpClient client, string page, string handler, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = await PlayerApp.AntiforgeryTokenAsync(client, page);
        var response = await client.PostAsync($"{page}?handler={handler}", new FormUrlEncodedContent(fields), Token);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Token));
    }

    [Fact]
    public async Task Watchers_get_the_editor_on_the_recording_page_and_the_publication_office_does_not_get_the_page_at_all()
    {
        var s = await ReadyAsync();
        var (reviewer, _) = await app.SignedInAsync([Roles.Reviewer], s.Unit);
        var (records, _) = await app.SignedInAsync([Roles.RecordsManager], s.Unit);
        var (publisher, _) = await app.SignedInAsync([Roles.Publisher], s.Unit);

        var page = await reviewer.GetStringAsync($"/recordings/{s.RecordingId}", Token);
        Assert.Contains("data-redact", page, StringComparison.Ordinal);
        Assert.Contains("data-kind=\"video\"", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"redact-canvas\"", page, StringComparison.Ordinal);
        Assert.Contains("/js/redact.js", page, StringComparison.Ordinal);

        var readOnly = await records.GetStringAsync($"/recordings/{s.RecordingId}", Token);
        Assert.DoesNotContain("data-redact", readOnly, StringComparison.Ordinal);
        Assert.DoesNotContain("/js/redact.js", readOnly, StringComparison.Ordinal);

        // The publication office reads no recording page: no rendition or original controls to show it.
        var refused = await publisher.GetAsync($"/recordings/{s.RecordingId}", Token);
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/accounts/denied", refused.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_publication_office_finds_a_rendered_redaction_watches_only_its_output_and_asks_for_publication()
    {
        var s = await ReadyAsync();
        var (publisher, _) = await app.SignedInAsync([Roles.Publisher], s.Unit);

        var home = await publisher.GetStringAsync("/", Token);
        Assert.Contains("data-testid=\"home-publications\"", home, StringComparison.Ordinal);
        Assert.Contains("href=\"/publications\"", home, StringComparison.Ordinal);

        var list = await publisher.GetStringAsync("/publications", Token);
        Assert.Contains($"data-testid=\"ready-redaction\" data-id=\"{s.RedactionId}\"", list, StringComparison.Ordinal);
        Assert.DoesNotContain($"href=\"/recordings/{s.RecordingId}\"", list, StringComparison.Ordinal);

        var page = await publisher.GetStringAsync($"/redactions/{s.RedactionId}", Token);
        Assert.Contains("value=\"redacted\"", page, StringComparison.Ordinal);
        Assert.Contains($"name=\"redactionId\" value=\"{s.RedactionId}\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("value=\"rendition\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("value=\"original\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"recording-link\"", page, StringComparison.Ordinal);

        var (status, html) = await PostFormAsync(publisher, $"/redactions/{s.RedactionId}", "Request", new()
        {
            ["PublicationTitle"] = "执法过程公示 page request",
            ["PublicationBody"] = "正文",
        });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("data-testid=\"done\"", html, StringComparison.Ordinal);
        Assert.Contains("page request", html, StringComparison.Ordinal); // listed among the redaction's publications

        // A title is required: the service's refusal is shown, nothing is asked for.
        var (refusedStatus, refusedHtml) = await PostFormAsync(publisher, $"/redactions/{s.RedactionId}", "Request", new() { ["PublicationTitle"] = " " });
        Assert.Equal(HttpStatusCode.BadRequest, refusedStatus);
        Assert.Contains("data-testid=\"error\"", refusedHtml, StringComparison.Ordinal);
        await using var connection = await _redactions.Playback.Catalogue.OpenConnectionAsync(Token);
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM publications WHERE redaction_id = @id", new { id = s.RedactionId }, cancellationToken: Token)));
    }

    [Fact]
    public async Task A_redaction_of_footage_the_user_may_not_see_is_a_404()
    {
        var s = await ReadyAsync();
        var (stranger, _) = await app.SignedInAsync([Roles.Publisher], await _redactions.Playback.Records.UnitAsync());

        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/redactions/{s.RedactionId}", Token)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/redactions/{Guid.NewGuid()}", Token)).StatusCode);
        Assert.DoesNotContain(s.RedactionId.ToString(), await stranger.GetStringAsync("/publications", Token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_supervisor_decides_on_others_requests_only_once_the_copy_is_made_and_a_publisher_withdraws_on_the_page()
    {
        var s = await ReadyAsync();
        var (publisher, _) = await app.SignedInAsync([Roles.Publisher], s.Unit);
        var (supervisor, _) = await app.SignedInAsync([Roles.Supervisor], s.Unit);
        var (otherSupervisor, _) = await app.SignedInAsync([Roles.Supervisor], s.Unit);
        await PostFormAsync(publisher, $"/redactions/{s.RedactionId}", "Request", new() { ["PublicationTitle"] = "公示 decided on the page", ["PublicationBody"] = "" });
        await PostFormAsync(supervisor, $"/redactions/{s.RedactionId}", "Request", new() { ["PublicationTitle"] = "公示 own request", ["PublicationBody"] = "" });
        await using var connection = await _redactions.Playback.Catalogue.OpenConnectionAsync(Token);
        var ids = (await connection.QueryAsync<(Guid Id, string Title)>(new CommandDefinition(
            "SELECT id, title FROM publications WHERE redaction_id = @id", new { id = s.RedactionId }, cancellationToken: Token))).ToDictionary(r => r.Title, r => r.Id);
        var theirs = ids["公示 decided on the page"];
        var own = ids["公示 own request"];

        // The copy is still being made: listed, approval not offered yet (and refused if posted).
        var waiting = await supervisor.GetStringAsync("/publications/approvals", Token);
        Assert.Contains($"data-id=\"{theirs}\"", waiting, StringComparison.Ordinal);
        Assert.Contains($"href=\"/redactions/{s.RedactionId}\"", waiting, StringComparison.Ordinal);
        var early = await PostFormAsync(supervisor, "/publications/approvals", "Approve", new() { ["PublicationId"] = theirs.ToString(), ["Reason"] = "看过 watched", ["Days"] = "7" });
        Assert.Equal(HttpStatusCode.Conflict, early.Status);

        await _redactions.PublicationRenderedAsync(theirs);
        await _redactions.PublicationRenderedAsync(own);

        // Their own request has no decision form; the server refuses it anyway.
        var ownPage = await supervisor.GetStringAsync("/publications/approvals", Token);
        var ownRow = ownPage[ownPage.IndexOf($"data-id=\"{own}\"", StringComparison.Ordinal)..];
        ownRow = ownRow[..ownRow.IndexOf("</tr>", StringComparison.Ordinal)];
        Assert.Contains("data-testid=\"own-request\"", ownRow, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"approve\"", ownRow, StringComparison.Ordinal);
        var self = await PostFormAsync(supervisor, "/publications/approvals", "Approve", new() { ["PublicationId"] = own.ToString(), ["Reason"] = "自己 self" });
        Assert.Equal(HttpStatusCode.Forbidden, self.Status);

        var approved = await PostFormAsync(supervisor, "/publications/approvals", "Approve", new() { ["PublicationId"] = theirs.ToString(), ["Reason"] = "已审核 reviewed", ["Days"] = "7" });
        Assert.Equal(HttpStatusCode.OK, approved.Status);
        Assert.Contains("data-testid=\"done\"", approved.Html, StringComparison.Ordinal);
        var refused = await PostFormAsync(otherSupervisor, "/publications/approvals", "Deny", new() { ["PublicationId"] = own.ToString(), ["Reason"] = "不宜公示 not suitable" });
        Assert.Equal(HttpStatusCode.OK, refused.Status);

        var token = await connection.ExecuteScalarAsync<string>(new CommandDefinition("SELECT token FROM publications WHERE id = @theirs", new { theirs }, cancellationToken: Token));
        var list = await publisher.GetStringAsync("/publications", Token);
        Assert.Contains($"href=\"/public/{token}\"", list, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"withdraw-form\"", list, StringComparison.Ordinal);
        Assert.Contains($"data-id=\"{own}\" data-state=\"refused\"", await publisher.GetStringAsync("/publications?state=refused", Token), StringComparison.Ordinal);
        using var anonymous = app.NewClient();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/public/{token}", Token)).StatusCode);

        var withdrawn = await PostFormAsync(publisher, "/publications", "Withdraw", new() { ["PublicationId"] = theirs.ToString(), ["Reason"] = "撤回 withdrawn" });
        Assert.Equal(HttpStatusCode.OK, withdrawn.Status);
        Assert.Contains($"data-id=\"{theirs}\" data-state=\"withdrawn\"", withdrawn.Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Gone, (await anonymous.GetAsync($"/public/{token}", Token)).StatusCode);
    }
}
