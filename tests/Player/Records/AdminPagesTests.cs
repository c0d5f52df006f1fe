using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Dapper;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Storage.Cases;
using Enforcement.Media.Storage.Credentials;
using Enforcement.Media.Storage.Stations;
using Enforcement.Media.Tests.Infrastructure;

namespace Enforcement.Media.Tests.Player.Records;

/// <summary>The admin side: admins manage users, units, assignments and station keys through the pages; every change audited.</summary>
public sealed partial class AdminPagesTests(PlayerApp app) : IClassFixture<PlayerApp>
{
    private readonly RecordsHarness _records = new(app);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_admin_creates_a_user_with_roles_and_unit_who_can_then_sign_in()
    {
        var unit = await _records.UnitAsync();
        var (admin, _) = await app.SignedInAsync([Roles.Admin]);
        var username = $"officer{Guid.NewGuid():N}"[..20];

        var created = await PostFormAsync(admin, "/admin/users", new() { ["Username"] = username, ["DisplayName"] = "张三", ["UnitCode"] = unit, ["Roles"] = Roles.LegalReviewer, ["Password"] = "a password long enough" });

        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var client = app.NewClient();
        Assert.Equal(HttpStatusCode.Redirect, (await PlayerApp.LoginAsync(client, username, "a password long enough")).StatusCode);
        var me = await client.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/me", Token);
        Assert.Equal(unit, me.GetProperty("unit").GetString());
        Assert.Equal([Roles.LegalReviewer], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Contains(username, await _records.LastEventAsync("user.created", created.Headers.Location!.OriginalString.Split('/')[^1]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Changing_roles_disabling_and_resetting_a_password_take_effect_at_once()
    {
        var (admin, _) = await app.SignedInAsync([Roles.Admin]);
        var (user, account) = await app.SignedInAsync([Roles.Reviewer]);
        var page = $"/admin/users/{account.Id}";

        Assert.Equal(HttpStatusCode.OK, (await PostFormAsync(admin, $"{page}?handler=Save", new() { ["Roles"] = Roles.Supervisor, ["UnitCode"] = string.Empty })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await user.GetAsync("/api/v1/me", Token)).StatusCode); // old session ended
        Assert.Equal(HttpStatusCode.OK, (await PostFormAsync(admin, $"{page}?handler=Password", new() { ["NewPassword"] = "a brand new password" })).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await PlayerApp.LoginAsync(app.NewClient(), account.Username, "a brand new password")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostFormAsync(admin, $"{page}?handler=Disable", [])).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PlayerApp.LoginAsync(app.NewClient(), account.Username, "a brand new password")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostFormAsync(admin, $"{page}?handler=Enable", [])).StatusCode);

        var relogged = app.NewClient();
        Assert.Equal(HttpStatusCode.Redirect, (await PlayerApp.LoginAsync(relogged, account.Username, "a brand new password")).StatusCode);
        Assert.Equal([Roles.Supervisor], (await relogged.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/me", Token)).GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task A_forged_form_cannot_revoke_another_users_token_by_its_id()
    {
        var (admin, _) = await app.SignedInAsync([Roles.Admin]);
        var (_, owner) = await app.SignedInAsync([Roles.Reviewer]);
        var (_, other) = await app.SignedInAsync([Roles.Reviewer]);
        var text = await app.Service<AccountService>().IssueOwnTokenAsync(owner.Id, "owner's", Token);
        Assert.True(SecretToken.UserToken.TryParse(text, out var tokenId, out _));

        var response = await PostFormAsync(admin, $"/admin/users/{other.Id}?handler=RevokeToken", new() { ["TokenId"] = tokenId.ToString() });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.NotNull(await app.Service<AccountService>().AuthenticateTokenAsync(text, Token));
    }

    [Fact]
    public async Task An_admin_cannot_disable_themselves_or_drop_their_own_admin_role()
    {
        var (admin, account) = await app.SignedInAsync([Roles.Admin]);

        var disable = await PostFormAsync(admin, $"/admin/users/{account.Id}?handler=Disable", []);
        var demote = await PostFormAsync(admin, $"/admin/users/{account.Id}?handler=Save", new() { ["Roles"] = Roles.Reviewer });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, disable.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, demote.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin/users", Token)).StatusCode);
    }

    [Fact]
    public async Task Units_and_case_assignments_are_created_and_listed()
    {
        var (admin, _) = await app.SignedInAsync([Roles.Admin]);
        var (_, reviewer) = await app.SignedInAsync([Roles.Reviewer]);
        var code = $"110105{Random.Shared.Next(100000, 999999)}";
        var caseNumber = $"京朝执罚〔2026〕{Random.Shared.Next(1000, 9999)}号";
        await app.Service<CaseService>().SubmitAsync(new CaseInput(caseNumber, null, "某公司", "处罚", CaseStatus.Open, TimeProvider.System.GetUtcNow(), null, null, [], []), "user:test", Token);

        var unit = await PostFormAsync(admin, "/admin/units", new() { ["Code"] = code, ["Name"] = "朝阳区城管执法局" });
        var assigned = await PostFormAsync(admin, "/admin/assignments", new() { ["CaseNumber"] = caseNumber, ["Username"] = reviewer.Username });
        var unknownCase = await PostFormAsync(admin, "/admin/assignments", new() { ["CaseNumber"] = "NO-SUCH-CASE", ["Username"] = reviewer.Username });

        Assert.Equal(HttpStatusCode.OK, unit.StatusCode);
        Assert.Contains(code, await admin.GetStringAsync("/admin/units", Token), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, assigned.StatusCode);
        Assert.Contains(reviewer.Username, await admin.GetStringAsync("/admin/assignments", Token), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknownCase.StatusCode);
        Assert.NotNull(await _records.LastEventAsync("unit.created", code));
        Assert.NotNull(await _records.LastEventAsync("case.assigned", caseNumber));
    }

    [Fact]
    public async Task A_station_key_is_shown_once_and_refused_after_it_is_revoked()
    {
        var (admin, _) = await app.SignedInAsync([Roles.Admin]);
        var name = $"DOCK-{Guid.NewGuid():N}"[..20];

        var html = await (await PostFormAsync(admin, "/admin/keys?handler=Create", new() { ["Name"] = name, ["Kind"] = "station" })).Content.ReadAsStringAsync(Token);
        var token = StationKeyText().Match(html).Value;
        var keys = app.Service<ApiKeyStore>();
        var key = await keys.AuthenticateAsync(token, Token);

        Assert.NotNull(key);
        Assert.Equal(ApiKeyKind.Station, key.Kind);
        Assert.Equal(name, key.StationId);
        Assert.DoesNotContain(token, await admin.GetStringAsync("/admin/keys", Token), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await PostFormAsync(admin, "/admin/keys?handler=Revoke", new() { ["KeyId"] = key.Id.ToString() })).StatusCode);
        Assert.Null(await keys.AuthenticateAsync(token, Token));
        Assert.NotNull(await _records.LastEventAsync("api-key.revoked", key.Id.ToString()));
    }

    [Theory]
    [InlineData("/admin/users", "Username", "a")]
    [InlineData("/admin/units", "Code", "../../etc")]
    [InlineData("/admin/keys?handler=Create", "Kind", "root")]
    [InlineData("/admin/assignments", "CaseNumber", "  ")]
    public async Task Malformed_admin_input_is_refused_and_nothing_is_created(string page, string field, string value)
    {
        var (admin, _) = await app.SignedInAsync([Roles.Admin]);
        var before = await _records.AllEventsAsync();
        var form = new Dictionary<string, string>
        {
            ["Username"] = "valid.name",
            ["DisplayName"] = "Valid",
            ["Password"] = "a password long enough",
            ["Roles"] = Roles.Reviewer,
            ["Code"] = "UNITX",
            ["Name"] = "DOCK-X",
            ["Kind"] = "station",
            ["CaseNumber"] = "C-1",
        };
        form[field] = value;

        var response = await PostFormAsync(admin, page, form);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("data-testid=\"error\"", await response.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Equal(before, await _records.AllEventsAsync());
    }

    [Fact]
    public async Task Very_long_inputs_on_admin_forms_are_refused_without_error()
    {
        var (admin, account) = await app.SignedInAsync([Roles.Admin]);
        var huge = new string('x', 100_000);
        var before = await _records.AllEventsAsync();

        var user = await PostFormAsync(admin, "/admin/users", new() { ["Username"] = huge, ["DisplayName"] = huge, ["Password"] = huge, ["Roles"] = Roles.Reviewer });
        var unit = await PostFormAsync(admin, "/admin/units", new() { ["Code"] = "OK1", ["Name"] = huge });
        var key = await PostFormAsync(admin, "/admin/keys?handler=Create", new() { ["Name"] = huge, ["Kind"] = "device" });
        var token = await PostFormAsync(admin, "/account?handler=IssueToken", new() { ["TokenName"] = huge });

        Assert.All([user, unit, key, token], r => Assert.Equal(HttpStatusCode.UnprocessableEntity, r.StatusCode));
        Assert.Equal(before, await _records.AllEventsAsync());
        await using var connection = await _records.Catalogue.OpenConnectionAsync(Token);
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM users WHERE length(username) > 64"));
    }

    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient browser, string path, Dictionary<string, string> form)
    {
        form["__RequestVerificationToken"] = await PlayerApp.AntiforgeryTokenAsync(browser, "/");
        return await browser.PostAsync(path, new FormUrlEncodedContent(form), Token);
    }

    [GeneratedRegex("em_[0-9a-f]{32}_[A-Za-z0-9_-]+")]
    private static partial Regex StationKeyText();
}
