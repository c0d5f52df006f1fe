using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Storage.Credentials;
using Enforcement.Media.Tests.Infrastructure;

namespace Enforcement.Media.Tests.Player;

public sealed class AccountsTests(PlayerApp app) : IClassFixture<PlayerApp>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_first_admin_is_created_from_configuration_and_can_sign_in()
    {
        var client = app.NewClient();

        var response = await PlayerApp.LoginAsync(client, "admin", PlayerApp.AdminPassword);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var me = await client.GetFromJsonAsync<Me>("/api/v1/me", Token);
        Assert.Equal(["admin"], me!.Roles);
    }

    [Fact]
    public async Task Pages_redirect_strangers_to_sign_in_and_the_api_answers_401()
    {
        var client = app.NewClient();

        var page = await client.GetAsync("/", Token);
        var api = await client.GetAsync("/api/v1/me", Token);

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/accounts/login", page.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }

    [Fact]
    public async Task Repeated_wrong_passwords_from_one_source_make_it_wait_but_leave_the_user_and_their_session_alone()
    {
        var password = "correct horse battery";
        var (session, user) = await app.SignedInAsync([Roles.Reviewer], password: password);
        var guesser = app.NewClient("198.51.100.7");
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await PlayerApp.LoginAsync(guesser, user.Username, "wrong password!")).StatusCode);
        }

        var waiting = await PlayerApp.LoginAsync(guesser, user.Username, password);
        var elsewhere = await PlayerApp.LoginAsync(app.NewClient("198.51.100.8"), user.Username, password);

        Assert.Equal(HttpStatusCode.TooManyRequests, waiting.StatusCode);
        Assert.NotNull(waiting.Headers.RetryAfter?.Date);
        Assert.Contains("login-error", await waiting.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await guesser.GetAsync("/api/v1/me", Token)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, elsewhere.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/api/v1/me", Token)).StatusCode); // a stranger's guesses end nothing
    }

    [Fact]
    public async Task A_sign_in_form_posted_without_its_antiforgery_token_is_refused()
    {
        var client = app.NewClient();
        await client.GetAsync("/accounts/login", Token);

        var response = await client.PostAsync("/accounts/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["Username"] = "admin", ["Password"] = PlayerApp.AdminPassword }), Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Sign_out_needs_the_antiforgery_token_and_ends_the_session()
    {
        var (client, _) = await app.SignedInAsync([Roles.Reviewer]);

        var forged = await client.PostAsync("/accounts/logout", new FormUrlEncodedContent([]), Token);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me", Token)).StatusCode);

        var token = await PlayerApp.AntiforgeryTokenAsync(client, "/");
        var logout = await client.PostAsync("/accounts/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }), Token);

        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/me", Token)).StatusCode);
    }

    [Fact]
    public async Task Changing_a_users_roles_ends_their_existing_sessions()
    {
        var (client, user) = await app.SignedInAsync([Roles.Reviewer]);

        await app.Service<AccountService>().ChangeAsync(user.Id, [Roles.Supervisor], null, null, null, "user:admin", Token);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/me", Token)).StatusCode);
    }

    [Fact]
    public async Task A_bearer_token_acts_for_its_user_until_it_is_revoked()
    {
        var (_, user) = await app.SignedInAsync([Roles.LegalReviewer]);
        var text = await app.Service<AccountService>().IssueOwnTokenAsync(user.Id, "case system", Token);
        var api = app.NewClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", text);

        var me = await api.GetFromJsonAsync<Me>("/api/v1/me", Token);
        Assert.Equal(user.Username, me!.Username);

        Assert.True(SecretToken.UserToken.TryParse(text, out var tokenId, out _));
        await app.Service<AccountService>().RevokeTokenAsync(user.Id, tokenId, "user:admin", Token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/v1/me", Token)).StatusCode);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("emu_00000000000000000000000000000000_AAAA")]
    [InlineData("emu_0197a7a0a0a07000800000000000000a_QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY=")]
    public async Task Unknown_or_malformed_bearer_tokens_are_refused(string token)
    {
        var api = app.NewClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/v1/me", Token)).StatusCode);
    }

    [Fact]
    public async Task A_disabled_user_cannot_sign_in_and_loses_their_session()
    {
        var password = "a long enough password";
        var (client, user) = await app.SignedInAsync([Roles.Reviewer], password: password);

        await app.Service<AccountService>().ChangeAsync(user.Id, null, null, true, null, "user:admin", Token);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/me", Token)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PlayerApp.LoginAsync(app.NewClient(), user.Username, password)).StatusCode);
    }

    [Fact]
    public async Task Very_long_credentials_are_refused_without_error()
    {
        var response = await PlayerApp.LoginAsync(app.NewClient(), new string('a', 100_000), new string('b', 100_000));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private sealed record Me(string Username, string? DisplayName, string? Unit, string[] Roles);
}
