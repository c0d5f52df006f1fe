using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Storage.Credentials;
using Enforcement.Media.Tests.Infrastructure;
using Enforcement.Media.Tests.Player.Records;
using Npgsql;

namespace Enforcement.Media.Tests.Player;

/// <summary>
/// Sessions end on the server, not only in the browser; API tokens are issued by their owner alone; a
/// password an admin set is good for nothing but choosing one's own. Through the real app on PostgreSQL.
/// </summary>
public sealed partial class SessionRevocationTests(PlayerApp app) : IClassFixture<PlayerApp>
{
    private const string Password = "the user's own password";

    private readonly RecordsHarness _records = new(app);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Signing_out_ends_the_session_on_the_server_so_a_cookie_copied_before_no_longer_works()
    {
        var (browser, cookies, _) = await BrowserAsync(Roles.Reviewer);
        var copy = CopyOf(cookies);
        Assert.Equal(HttpStatusCode.OK, (await copy.GetAsync("/api/v1/me", Token)).StatusCode);

        var logout = await PostFormAsync(browser, "/accounts/logout", []);

        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await copy.GetAsync("/api/v1/me", Token)).StatusCode);
        var session = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/recordings/{Guid.NewGuid()}/sessions") { Content = JsonContent.Create(new { reason = "after sign-out" }) };
        Assert.Equal(HttpStatusCode.Unauthorized, (await copy.SendAsync(session, Token)).StatusCode);
    }

    [Fact]
    public async Task Changing_ones_own_password_ends_every_other_session_and_keeps_this_browser_signed_in()
    {
        var (browser, cookies, user) = await BrowserAsync(Roles.Reviewer);
        var other = app.NewClient();
        Assert.Equal(HttpStatusCode.Redirect, (await PlayerApp.LoginAsync(other, user.Username, Password)).StatusCode);
        var copy = CopyOf(cookies);

        var change = await ChangePasswordAsync(browser, Password, "a newer own password");

        Assert.Equal(HttpStatusCode.Redirect, change.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/v1/me", Token)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await other.GetAsync("/api/v1/me", Token)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await copy.GetAsync("/api/v1/me", Token)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PlayerApp.LoginAsync(app.NewClient(), user.Username, Password)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await PlayerApp.LoginAsync(app.NewClient(), user.Username, "a newer own password")).StatusCode);
    }

    [Fact]
    public async Task A_password_change_needs_the_current_password_and_a_new_one_twice()
    {
        var (browser, user) = await app.SignedInAsync([Roles.Reviewer], password: Password);

        var wrongCurrent = await ChangePasswordAsync(browser, "not my password", "a newer own password");
        var mismatch = await ChangePasswordAsync(browser, Password, "a newer own password", repeat: "something else entirely");
        var same = await ChangePasswordAsync(browser, Password, Password);
        var tooShort = await ChangePasswordAsync(browser, Password, "short");

        Assert.All([wrongCurrent, mismatch, same, tooShort], r => Assert.Equal(HttpStatusCode.UnprocessableEntity, r.StatusCode));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/v1/me", Token)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await PlayerApp.LoginAsync(app.NewClient(), user.Username, Password)).StatusCode);
    }

    [Fact]
    public async Task Sign_out_everywhere_by_an_admin_ends_every_session_and_revokes_every_token_of_the_user()
    {
        var (admin, _) = await app.SignedInAsync([Roles.Admin]);
        var (browser, user) = await app.SignedInAsync([Roles.Reviewer], password: Password);
        var token = await IssueOnAccountPageAsync(browser, "laptop script");
        var api = Bearer(token);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/me", Token)).StatusCode);

        var done = await PostFormAsync(admin, $"/admin/users/{user.Id}?handler=SignOutEverywhere", []);

        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/v1/me", Token)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/v1/me", Token)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await PlayerApp.LoginAsync(app.NewClient(), user.Username, Password)).StatusCode); // the password still works
        Assert.Contains("\"sessionsEnded\":1", await _records.LastEventAsync("user.signed-out-everywhere", user.Id.ToString()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_signs_out_their_other_browsers_from_their_account_page()
    {
        var (browser, user) = await app.SignedInAsync([Roles.Reviewer], password: Password);
        var other = app.NewClient();
        Assert.Equal(HttpStatusCode.Redirect, (await PlayerApp.LoginAsync(other, user.Username, Password)).StatusCode);
        var page = await browser.GetStringAsync("/account", Token);
        Assert.Equal(2, SessionRow().Count(page));

        Assert.Equal(HttpStatusCode.OK, (await PostFormAsync(browser, "/account?handler=EndOtherSessions", [])).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/v1/me", Token)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await other.GetAsync("/api/v1/me", Token)).StatusCode);
        Assert.Single(SessionRow().Matches(await browser.GetStringAsync("/account", Token)));
    }

    [Fact]
    public async Task A_user_issues_their_own_token_which_is_shown_once_and_an_admin_can_revoke_it()
    {
        var (admin, _) = await app.SignedInAsync([Roles.Admin]);
        var (browser, user) = await app.SignedInAsync([Roles.Reviewer], password: Password);

        var token = await IssueOnAccountPageAsync(browser, "case system");
        var api = Bearer(token);
        var me = await api.GetFromJsonAsync<JsonElement>("/api/v1/me", Token);

        Assert.Equal(user.Username, me.GetProperty("username").GetString());
        Assert.DoesNotContain(token, await browser.GetStringAsync("/account", Token), StringComparison.Ordinal);
        Assert.Contains($"\"tokenId\":\"{Id(token)}\"", await _records.LastEventAsync("token.issued", user.Id.ToString()), StringComparison.Ordinal);
        Assert.Equal($"user:{user.Username}", await _records.LastActorAsync("token.issued", user.Id.ToString()));
        Assert.Equal(HttpStatusCode.OK, (await PostFormAsync(admin, $"/admin/users/{user.Id}?handler=RevokeToken", new() { ["TokenId"] = Id(token).ToString() })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/v1/me", Token)).StatusCode);
    }

    [Fact]
    public async Task An_admin_cannot_obtain_a_token_for_another_user()
    {
        var (admin, _) = await app.SignedInAsync([Roles.Admin]);
        var (_, user) = await app.SignedInAsync([Roles.Reviewer]);
        var page = await admin.GetStringAsync($"/admin/users/{user.Id}", Token);

        var attempt = await PostFormAsync(admin, $"/admin/users/{user.Id}?handler=IssueToken", new() { ["TokenName"] = "admin's own copy" });
        var body = await attempt.Content.ReadAsStringAsync(Token);

        Assert.DoesNotContain("handler=IssueToken", page, StringComparison.Ordinal);
        Assert.DoesNotMatch(TokenText(), body);
        await using var connection = await app.Service<NpgsqlDataSource>().OpenConnectionAsync(Token);
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT count(*) FROM user_tokens WHERE user_id = @id", new { id = user.Id }, cancellationToken: Token)));
    }

    [Fact]
    public async Task A_password_set_by_an_admin_is_good_for_nothing_but_choosing_ones_own()
    {
        var (admin, _) = await app.SignedInAsync([Roles.Admin]);
        var username = $"n{Guid.NewGuid():N}"[..20];
        var created = await PostFormAsync(admin, "/admin/users", new() { ["Username"] = username, ["DisplayName"] = "New reviewer", ["Roles"] = Roles.Reviewer, ["Password"] = "typed by the admin" });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);

        var user = app.NewClient();
        var login = await PlayerApp.LoginAsync(user, username, "typed by the admin");
        var cases = await user.GetAsync("/cases", Token);
        var api = await user.GetAsync("/api/v1/ledger", Token);
        var account = await user.GetAsync("/account", Token);
        var me = await user.GetAsync("/api/v1/me", Token);

        Assert.Equal(PasswordChangeGate.PasswordPage, login.Headers.Location!.OriginalString);
        Assert.Equal(PasswordChangeGate.PasswordPage, cases.Headers.Location!.OriginalString);
        Assert.Equal(PasswordChangeGate.PasswordPage, account.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
        Assert.Contains("choose your own", await api.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Contains("must-change", await user.GetStringAsync(PasswordChangeGate.PasswordPage, Token), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Redirect, (await ChangePasswordAsync(user, "typed by the admin", "chosen by the user")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await user.GetAsync("/cases", Token)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PlayerApp.LoginAsync(app.NewClient(), username, "typed by the admin")).StatusCode);
    }

    [Fact]
    public async Task A_reset_by_an_admin_ends_the_users_sessions_and_must_be_replaced_at_the_next_sign_in()
    {
        var (admin, _) = await app.SignedInAsync([Roles.Admin]);
        var (browser, user) = await app.SignedInAsync([Roles.Reviewer], password: Password);

        Assert.Equal(HttpStatusCode.OK, (await PostFormAsync(admin, $"/admin/users/{user.Id}?handler=Password", new() { ["NewPassword"] = "reset by the admin" })).StatusCode);
        var again = app.NewClient();
        var login = await PlayerApp.LoginAsync(again, user.Username, "reset by the admin");

        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/v1/me", Token)).StatusCode);
        Assert.Equal(PasswordChangeGate.PasswordPage, login.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await again.GetAsync("/cases", Token)).StatusCode);
    }

    /// <summary>A user signed in by a browser whose cookies the test can copy.</summary>
    private async Task<(HttpClient Browser, CookieContainer Cookies, UserAccount User)> BrowserAsync(string role)
    {
        var user = await app.Service<AccountService>().CreateAsync($"s{Guid.NewGuid():N}"[..20], "Session user", null, [role], Password, mustChangePassword: false, "user:test", Token);
        var cookies = new CookieContainer();
        var browser = app.NewClient(cookies);
        Assert.Equal(HttpStatusCode.Redirect, (await PlayerApp.LoginAsync(browser, user.Username, Password)).StatusCode);
        return (browser, cookies, user);
    }

    /// <summary>Another client carrying copies of <paramref name="cookies"/> — what someone who copied them would have.</summary>
    private HttpClient CopyOf(CookieContainer cookies)
    {
        var copy = new CookieContainer();
        copy.Add(cookies.GetCookies(app.Server.BaseAddress));
        return app.NewClient(copy);
    }

    private HttpClient Bearer(string token)
    {
        var client = app.NewClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<string> IssueOnAccountPageAsync(HttpClient browser, string name)
    {
        var response = await PostFormAsync(browser, "/account?handler=IssueToken", new() { ["TokenName"] = name });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return TokenText().Match(await response.Content.ReadAsStringAsync(Token)).Value;
    }

    private static Guid Id(string token) => SecretToken.UserToken.TryParse(token, out var id, out _) ? id : throw new InvalidOperationException($"'{token}' is not a token.");

    private static Task<HttpResponseMessage> ChangePasswordAsync(HttpClient browser, string current, string next, string? repeat = null) =>
        PostFormAsync(browser, PasswordChangeGate.PasswordPage, new() { ["CurrentPassword"] = current, ["NewPassword"] = next, ["RepeatPassword"] = repeat ?? next }, PasswordChangeGate.PasswordPage);

    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient browser, string path, Dictionary<string, string> form, string tokenPage = "/account/password")
    {
        form["__RequestVerificationToken"] = await PlayerApp.AntiforgeryTokenAsync(browser, tokenPage);
        return await browser.PostAsync(path, new FormUrlEncodedContent(form), Token);
    }

    [GeneratedRegex("emu_[0-9a-f]{32}_[A-Za-z0-9_-]{43}")]
    private static partial Regex TokenText();

    [GeneratedRegex("<tr data-session=")]
    private static partial Regex SessionRow();
}
