using System.Net;
using System.Net.Http.Json;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Tests.Infrastructure;

namespace Enforcement.Media.Tests.Player.Records;

/// <summary>
/// Every state-changing form and cookie-authenticated API call of the admin, records-management and
/// export features refuses a request without its antiforgery token (what a forged cross-site form
/// sends), from a user who would otherwise be allowed, and changes nothing.
/// </summary>
public sealed class CsrfTests(PlayerApp app) : IClassFixture<PlayerApp>
{
    private readonly RecordsHarness _records = new(app);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(Roles.Admin, "/admin/users", "Username=forged&DisplayName=F&Roles=admin&Password=forged-password-123")]
    [InlineData(Roles.Admin, "/admin/users/{user}?handler=Save", "Roles=admin")]
    [InlineData(Roles.Admin, "/admin/users/{user}?handler=Disable", "")]
    [InlineData(Roles.Admin, "/admin/users/{user}?handler=Enable", "")]
    [InlineData(Roles.Admin, "/admin/users/{user}?handler=Password", "NewPassword=forged-password-123")]
    [InlineData(Roles.Admin, "/admin/users/{user}?handler=SignOutEverywhere", "")]
    [InlineData(Roles.Reviewer, "/account?handler=IssueToken", "TokenName=forged")]
    [InlineData(Roles.Reviewer, "/account?handler=RevokeToken", "TokenId={token}")]
    [InlineData(Roles.Reviewer, "/account?handler=EndOtherSessions", "")]
    [InlineData(Roles.Reviewer, "/account?handler=SignOutEverywhere", "")]
    [InlineData(Roles.Reviewer, "/account/password", "CurrentPassword=x&NewPassword=forged-password-123&RepeatPassword=forged-password-123")]
    [InlineData(Roles.Admin, "/admin/users/{user}?handler=RevokeToken", "TokenId={token}")]
    [InlineData(Roles.Admin, "/admin/units", "Code=FORGED1&Name=Forged")]
    [InlineData(Roles.Admin, "/admin/assignments", "CaseNumber=C-1&Username=admin")]
    [InlineData(Roles.Admin, "/admin/keys?handler=Create", "Name=FORGED-KEY&Kind=station")]
    [InlineData(Roles.Admin, "/admin/keys?handler=Revoke", "KeyId={key}")]
    [InlineData(Roles.RecordsManager, "/retention/recordings/{recording}?handler=Hold", "Reason=forged")]
    [InlineData(Roles.RecordsManager, "/retention/recordings/{recording}?handler=Release", "HoldId={hold}&Reason=forged")]
    [InlineData(Roles.RecordsManager, "/retention/recordings/{recording}?handler=Extend", "Until=2090-01-01&Reason=forged")]
    [InlineData(Roles.RecordsManager, "/retention/disposition?handler=Refresh", "")]
    [InlineData(Roles.RecordsManager, "/retention/disposition?handler=Propose", "RecordingId={recording}&Reason=forged")]
    [InlineData(Roles.RecordsManager, "/retention/disposition?handler=Approve", "EntryId={recording}&Reason=forged")]
    [InlineData(Roles.RecordsManager, "/retention/disposition?handler=Refuse", "EntryId={recording}&Reason=forged")]
    [InlineData(Roles.RecordsManager, "/retention/reconcile", "")]
    [InlineData(Roles.LegalReviewer, "/exports", "Recordings={recording}&Reason=forged&Recipient=forged")]
    [InlineData(Roles.Supervisor, "/exports/approvals?handler=Approve", "ExportId={export}&Reason=forged")]
    [InlineData(Roles.Supervisor, "/exports/approvals?handler=Deny", "ExportId={export}&Reason=forged")]
    public async Task A_form_posted_without_its_antiforgery_token_is_refused(string role, string path, string form)
    {
        var world = await WorldAsync();
        var (browser, _) = await app.SignedInAsync([role], world.Unit);
        var before = await _records.AllEventsAsync();

        var response = await browser.PostAsync(world.Fill(path), new StringContent(world.Fill(form), System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"), Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, await _records.AllEventsAsync());
    }

    [Theory]
    [InlineData(Roles.RecordsManager, "/api/v1/retention/recordings/{recording}/holds")]
    [InlineData(Roles.RecordsManager, "/api/v1/retention/holds/{hold}/release")]
    [InlineData(Roles.RecordsManager, "/api/v1/retention/recordings/{recording}/extend")]
    [InlineData(Roles.RecordsManager, "/api/v1/retention/disposition/refresh")]
    [InlineData(Roles.RecordsManager, "/api/v1/retention/disposition/{recording}/proposal")]
    [InlineData(Roles.RecordsManager, "/api/v1/retention/disposition/proposals/{recording}/approve")]
    [InlineData(Roles.RecordsManager, "/api/v1/retention/disposition/proposals/{recording}/refuse")]
    [InlineData(Roles.RecordsManager, "/api/v1/retention/reconcile")]
    [InlineData(Roles.LegalReviewer, "/api/v1/exports")]
    [InlineData(Roles.Supervisor, "/api/v1/exports/{export}/approve")]
    [InlineData(Roles.Supervisor, "/api/v1/exports/{export}/deny")]
    public async Task An_api_call_with_the_session_cookie_but_no_antiforgery_token_is_refused(string role, string path)
    {
        var world = await WorldAsync();
        var (browser, _) = await app.SignedInAsync([role], world.Unit);
        var before = await _records.AllEventsAsync();
        var body = new { reason = "forged", retainUntil = "2090-01-01T00:00:00Z", recordings = new[] { world.RecordingId.ToString() }, recipient = "forged" };

        var response = await browser.PostAsJsonAsync(world.Fill(path), body, Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, await _records.AllEventsAsync());
    }

    private async Task<World> WorldAsync()
    {
        var unit = await _records.UnitAsync();
        var (_, user) = await _records.BearerAsync([Roles.Reviewer], unit);
        var token = (await app.Service<Enforcement.Media.Player.Accounts.UserTokenStore>().ListAsync(user.Id, Token))[0].Id;
        var key = await app.Service<Enforcement.Media.Storage.Stations.ApiKeyStore>().CreateAsync($"K-{Guid.NewGuid():N}", Enforcement.Media.Storage.Stations.ApiKeyKind.Device, null, "user:test", Token);
        var (recording, _) = await _records.RecordingAsync(unit);
        var hold = await app.Service<Enforcement.Media.Storage.Retention.LegalHoldService>().PlaceAsync(recording.RecordingId, "user:test", "existing", Token);
        var (requester, _) = await _records.BearerAsync([Roles.LegalReviewer], unit);
        var export = await ExportFlow.RequestAsync(requester, [recording.RecordingId]);
        return new World(unit, user.Id, token, key.Key.Id, recording.RecordingId, hold, export);
    }

    private sealed record World(string Unit, Guid UserId, Guid TokenId, Guid KeyId, Guid RecordingId, Guid HoldId, Guid ExportId)
    {
        public string Fill(string text) => text
            .Replace("{user}", UserId.ToString(), StringComparison.Ordinal)
            .Replace("{token}", TokenId.ToString(), StringComparison.Ordinal)
            .Replace("{key}", KeyId.ToString(), StringComparison.Ordinal)
            .Replace("{recording}", RecordingId.ToString(), StringComparison.Ordinal)
            .Replace("{hold}", HoldId.ToString(), StringComparison.Ordinal)
            .Replace("{export}", ExportId.ToString(), StringComparison.Ordinal);
    }
}
