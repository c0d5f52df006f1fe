using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Tests.Infrastructure;

namespace Enforcement.Media.Tests.Player.Records;

/// <summary>
/// Records managers' pages and <c>/api/v1/retention</c>: holds, extension,
/// disposition and reconcile through the player, with the store's own answer shown; bad input refused.
/// </summary>
public sealed class RetentionDeskTests(PlayerApp app) : IClassFixture<PlayerApp>
{
    private readonly RecordsHarness _records = new(app);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_legal_hold_placed_and_released_through_the_api_is_applied_at_the_store_and_audited()
    {
        var (manager, _) = await _records.BearerAsync([Roles.RecordsManager]);
        var (recording, _) = await _records.RecordingAsync(null);

        var placed = await manager.PostAsJsonAsync($"/api/v1/retention/recordings/{recording.RecordingId}/holds", new { reason = "诉讼保全 litigation hold" }, Token);
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        var holdId = (await placed.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("holdId").GetGuid();
        var held = await ViewAsync(manager, recording.RecordingId);
        Assert.True(held.GetProperty("legalHold").GetBoolean());
        Assert.All(held.GetProperty("objects").EnumerateArray(), o => Assert.True(o.GetProperty("storeLegalHold").GetBoolean()));
        Assert.Contains(held.GetProperty("plan").GetProperty("reasons").EnumerateArray(), r => r.GetString()!.Contains("legal hold(s) placed by a records manager", StringComparison.Ordinal));
        Assert.True((await app.Service<IEvidenceStore>().GetRetentionAsync(recording.Location, Token)).LegalHold);

        var released = await manager.PostAsJsonAsync($"/api/v1/retention/holds/{holdId}/release", new { reason = "诉讼结束 case settled" }, Token);

        Assert.Equal(HttpStatusCode.NoContent, released.StatusCode);
        Assert.False((await app.Service<IEvidenceStore>().GetRetentionAsync(recording.Location, Token)).LegalHold);
        Assert.Contains("litigation hold", await _records.LastEventAsync("legal-hold.placed", recording.RecordingId.ToString()), StringComparison.Ordinal);
        Assert.Contains("case settled", await _records.LastEventAsync("legal-hold.released", recording.RecordingId.ToString()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await manager.PostAsJsonAsync($"/api/v1/retention/holds/{holdId}/release", new { reason = "again" }, Token)).StatusCode);
    }

    [Fact]
    public async Task Retention_is_extended_at_the_store_and_a_shorter_date_is_refused_audited_and_shown_as_refused()
    {
        var (manager, _) = await _records.BearerAsync([Roles.RecordsManager]);
        var (recording, _) = await _records.RecordingAsync(null);
        var until = new DateTimeOffset(TimeProvider.System.GetUtcNow().Year + 3, 1, 1, 0, 0, 0, TimeSpan.Zero);

        var extended = await manager.PostAsJsonAsync($"/api/v1/retention/recordings/{recording.RecordingId}/extend", new { retainUntil = until, reason = "重大案件 major case" }, Token);
        Assert.Equal(HttpStatusCode.OK, extended.StatusCode);
        Assert.True((await app.Service<IEvidenceStore>().GetRetentionAsync(recording.Location, Token)).RetainUntil >= until);

        var shorter = await manager.PostAsJsonAsync($"/api/v1/retention/recordings/{recording.RecordingId}/extend", new { retainUntil = until.AddDays(-10), reason = "mistake" }, Token);
        Assert.Equal(HttpStatusCode.Conflict, shorter.StatusCode);
        Assert.Contains("never shortened", await shorter.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.True((await app.Service<IEvidenceStore>().GetRetentionAsync(recording.Location, Token)).RetainUntil >= until);
        Assert.NotNull(await _records.LastEventAsync("retention.shorten-refused", recording.RecordingId.ToString()));

        var (browser, _) = await app.SignedInAsync([Roles.RecordsManager]);
        var page = await PostFormAsync(browser, $"/retention/recordings/{recording.RecordingId}?handler=Extend", new() { ["Until"] = "2000-01-01", ["Reason"] = "shorter by the page" });
        Assert.Equal(HttpStatusCode.Conflict, page.StatusCode);
        Assert.Contains("data-testid=\"refused\"", await page.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_recording_page_shows_class_reasons_holds_and_the_lock_the_store_reports()
    {
        var (recording, _) = await _records.RecordingAsync(null);
        await app.Service<Enforcement.Media.Storage.Retention.LegalHoldService>().PlaceAsync(recording.RecordingId, "user:keeper", "保全 kept for inquiry", Token);
        var (browser, _) = await app.SignedInAsync([Roles.RecordsManager]);

        var html = WebUtility.HtmlDecode(await browser.GetStringAsync($"/retention/recordings/{recording.RecordingId}", Token));

        Assert.Contains(recording.Sha256.Hex, html, StringComparison.Ordinal);
        Assert.Contains("routine: 180 days from recording or receipt", html, StringComparison.Ordinal);
        Assert.Contains("保全 kept for inquiry", html, StringComparison.Ordinal);
        Assert.Contains("COMPLIANCE", html, StringComparison.Ordinal);
        Assert.Contains("常规", html, StringComparison.Ordinal); // Chinese by default
        var found = await browser.GetAsync($"/retention?q={recording.Sha256.Hex}", Token);
        Assert.Equal($"/retention/recordings/{recording.RecordingId}", found.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Disposition_shows_each_outcome_disposed_or_refused_with_the_stores_reason()
    {
        var (browser, _) = await app.SignedInAsync([Roles.RecordsManager]);
        var (second, _) = await app.SignedInAsync([Roles.RecordsManager]);
        var (early, _) = await _records.RecordingAsync(null);
        var (lockedAtStore, _) = await _records.RecordingAsync(null);
        var (due, _) = await _records.RecordingAsync(null);
        await _records.AgeInCatalogueAsync(lockedAtStore.RecordingId);
        await _records.AgeInCatalogueAsync(due.RecordingId);
        await _records.AgeAtStoreAsync(due.Location);

        var notEligible = await PostFormAsync(browser, "/retention/disposition?handler=Propose", new() { ["RecordingId"] = early.RecordingId.ToString(), ["Reason"] = "period over?" });
        var lockedProposed = await PostFormAsync(browser, "/retention/disposition?handler=Propose", new() { ["RecordingId"] = lockedAtStore.RecordingId.ToString(), ["Reason"] = "period over" });
        var dueProposed = await PostFormAsync(browser, "/retention/disposition?handler=Propose", new() { ["RecordingId"] = due.RecordingId.ToString(), ["Reason"] = "保存期满 period over" });
        var storeSaysNo = await PostFormAsync(second, "/retention/disposition?handler=Approve", new() { ["EntryId"] = (await ProposalAsync(lockedAtStore.RecordingId)).ToString(), ["Reason"] = "agreed" });
        var disposed = await PostFormAsync(second, "/retention/disposition?handler=Approve", new() { ["EntryId"] = (await ProposalAsync(due.RecordingId)).ToString(), ["Reason"] = "同意 agreed" });

        Assert.Equal(HttpStatusCode.Conflict, notEligible.StatusCode);
        Assert.Contains("not eligible", await notEligible.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, lockedProposed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, dueProposed.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, storeSaysNo.StatusCode);
        Assert.Contains("the store still locks", await storeSaysNo.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, disposed.StatusCode);
        Assert.Contains("confirmed absent", await disposed.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Null(await app.Service<IEvidenceStore>().HeadAsync(due.Location, Token));
        Assert.NotNull(await app.Service<IEvidenceStore>().HeadAsync(lockedAtStore.Location, Token));
        Assert.Contains("保存期满", WebUtility.HtmlDecode(await browser.GetStringAsync($"/retention/recordings/{due.RecordingId}", Token)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reconcile_from_the_page_repairs_a_drift_injected_at_the_store_and_reports_it()
    {
        var (recording, _) = await _records.RecordingAsync(null);
        await app.Service<IEvidenceStore>().SetLegalHoldAsync(recording.Location, true, Token); // drift: a hold the policy does not call for
        var (browser, _) = await app.SignedInAsync([Roles.RecordsManager]);

        var response = await PostFormAsync(browser, "/retention/reconcile", []);
        var html = await response.Content.ReadAsStringAsync(Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data-testid=\"drifts\"", html, StringComparison.Ordinal);
        Assert.Contains(recording.RecordingId.ToString(), html, StringComparison.Ordinal);
        Assert.Contains("policy says off", html, StringComparison.Ordinal);
        Assert.False((await app.Service<IEvidenceStore>().GetRetentionAsync(recording.Location, Token)).LegalHold);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \t  ")]
    [InlineData(null)]
    public async Task A_hold_without_a_reason_is_refused_and_nothing_changes(string? reason)
    {
        var (manager, _) = await _records.BearerAsync([Roles.RecordsManager]);
        var (recording, _) = await _records.RecordingAsync(null);
        var before = await _records.AllEventsAsync();

        var response = await manager.PostAsJsonAsync($"/api/v1/retention/recordings/{recording.RecordingId}/holds", new { reason }, Token);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("reason", await response.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Equal(before, await _records.AllEventsAsync());
        Assert.Equal(0, await HoldsAsync(recording.RecordingId));
    }

    [Fact]
    public async Task Very_long_reasons_absurd_dates_unknown_ids_and_malformed_bodies_are_refused()
    {
        var (manager, _) = await _records.BearerAsync([Roles.RecordsManager]);
        var (recording, _) = await _records.RecordingAsync(null);
        var before = await _records.AllEventsAsync();
        var id = recording.RecordingId;

        var longReason = await manager.PostAsJsonAsync($"/api/v1/retention/recordings/{id}/holds", new { reason = new string('理', 100_000) }, Token);
        var farFuture = await manager.PostAsJsonAsync($"/api/v1/retention/recordings/{id}/extend", new { retainUntil = "9999-12-31T00:00:00Z", reason = "for ever" }, Token);
        var noDate = await manager.PostAsJsonAsync($"/api/v1/retention/recordings/{id}/extend", new { reason = "no date" }, Token);
        var unknown = await manager.PostAsJsonAsync($"/api/v1/retention/recordings/{Guid.NewGuid()}/holds", new { reason = "who?" }, Token);
        var malformed = await manager.PostAsync($"/api/v1/retention/recordings/{id}/holds", new StringContent("{\"reason\":", System.Text.Encoding.UTF8, "application/json"), Token);
        var disposeNoReason = await manager.PostAsJsonAsync($"/api/v1/retention/disposition/{id}/proposal", new { reason = " " }, Token);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, longReason.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, farFuture.StatusCode);
        Assert.Contains("legal hold", await farFuture.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noDate.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, malformed.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, disposeNoReason.StatusCode);
        Assert.Equal(before, await _records.AllEventsAsync());
        Assert.True((await app.Service<IEvidenceStore>().GetRetentionAsync(recording.Location, Token)).RetainUntil < TimeProvider.System.GetUtcNow().AddYears(2));
    }

    [Theory]
    [InlineData("extend", """{"retainUntil":"next tuesday","reason":"诉讼需要"}""", "retainUntil")]
    [InlineData("extend", """{"retainUntil":"2031-13-45T00:00:00Z","reason":"诉讼需要"}""", "retainUntil")]
    [InlineData("extend", """{"retainUntil":20310101,"reason":"诉讼需要"}""", "retainUntil")]
    [InlineData("extend", """{"retainUntil":"2031-01-01T00:00:00Z","reason":["诉讼需要"]}""", "reason")]
    [InlineData("holds", """{"reason":42}""", "reason")]
    [InlineData("holds", "{\"reason\":\"诉讼需要\",", "body")]
    public async Task A_malformed_field_of_a_retention_body_is_a_422_naming_the_field_and_changes_nothing(string action, string json, string field)
    {
        var (manager, _) = await _records.BearerAsync([Roles.RecordsManager]);
        var (recording, _) = await _records.RecordingAsync(null);
        var before = await _records.AllEventsAsync();
        var lockedUntil = (await app.Service<IEvidenceStore>().GetRetentionAsync(recording.Location, Token)).RetainUntil;

        var response = await manager.PostAsync($"/api/v1/retention/recordings/{recording.RecordingId}/{action}", new StringContent(json, System.Text.Encoding.UTF8, "application/json"), Token);

        var body = await response.Content.ReadAsStringAsync(Token);
        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, body);
        Assert.True(System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("errors").TryGetProperty(field, out _), body);
        Assert.Equal(before, await _records.AllEventsAsync());
        Assert.Equal(lockedUntil, (await app.Service<IEvidenceStore>().GetRetentionAsync(recording.Location, Token)).RetainUntil);
    }

    [Theory]
    [InlineData("/api/v1/retention/recordings/..%2F..%2F..%2Fetc%2Fpasswd")]
    [InlineData("/api/v1/retention/recordings/../../../etc/passwd")]
    [InlineData("/api/v1/retention/recordings/%2e%2e%2fstorage")]
    [InlineData("/retention/recordings/..%2F..%2Fetc%2Fpasswd")]
    [InlineData("/api/v1/exports/..%2F..%2Fetc%2Fpasswd/package")]
    [InlineData("/exports/..%2Fapprovals")]
    public async Task Path_traversal_in_an_id_finds_nothing(string path)
    {
        var (manager, _) = await app.SignedInAsync([Roles.RecordsManager, Roles.Reviewer]);

        var response = await manager.GetAsync(path, Token);

        Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"{path}: {(int)response.StatusCode}");
        Assert.DoesNotContain("root:", await response.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_pages_refuse_a_missing_reason_and_an_unreadable_date_without_changing_anything()
    {
        var (recording, _) = await _records.RecordingAsync(null);
        var (browser, _) = await app.SignedInAsync([Roles.RecordsManager]);
        var before = await _records.AllEventsAsync();

        var hold = await PostFormAsync(browser, $"/retention/recordings/{recording.RecordingId}?handler=Hold", new() { ["Reason"] = "  " });
        var extend = await PostFormAsync(browser, $"/retention/recordings/{recording.RecordingId}?handler=Extend", new() { ["Until"] = "next year", ["Reason"] = "why not" });
        var dispose = await PostFormAsync(browser, "/retention/disposition?handler=Propose", new() { ["RecordingId"] = recording.RecordingId.ToString(), ["Reason"] = string.Empty });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, hold.StatusCode);
        Assert.Contains("data-testid=\"error\"", await hold.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, extend.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, dispose.StatusCode);
        Assert.Equal(before, await _records.AllEventsAsync());
    }

    private static async Task<JsonElement> ViewAsync(HttpClient client, Guid recordingId) =>
        await client.GetFromJsonAsync<JsonElement>($"/api/v1/retention/recordings/{recordingId}", Token);

    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient browser, string path, Dictionary<string, string> form)
    {
        form["__RequestVerificationToken"] = await PlayerApp.AntiforgeryTokenAsync(browser, "/");
        return await browser.PostAsync(path, new FormUrlEncodedContent(form), Token);
    }

    /// <summary>The recording's open proposal, as the queue page shows it to the second records manager.</summary>
    private async Task<Guid> ProposalAsync(Guid recordingId)
    {
        await using var connection = await _records.Catalogue.OpenConnectionAsync(Token);
        return await connection.ExecuteScalarAsync<Guid>("SELECT id FROM disposition_queue WHERE recording_id = @recordingId AND state = 'proposed'", new { recordingId });
    }

    private async Task<int> HoldsAsync(Guid recordingId)
    {
        await using var connection = await _records.Catalogue.OpenConnectionAsync(Token);
        return await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM legal_holds WHERE recording_id = @recordingId", new { recordingId });
    }
}
