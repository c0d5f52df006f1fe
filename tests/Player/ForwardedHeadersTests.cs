using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Tests.Infrastructure;
using Enforcement.Media.Tests.Player.Playback;

namespace Enforcement.Media.Tests.Player;

/// <summary>
/// The player behind a TLS-terminating proxy, on Kestrel so that requests really come from 127.0.0.1:
/// with that address configured as a trusted proxy (<c>ForwardedHeaders:KnownProxies</c>), a request the
/// proxy forwards as https is HTTPS to the player — every cookie it sets is Secure, HSTS is sent — and the
/// client address in the audit trail and the access ledger is the one the proxy names. From an address
/// that is not a trusted proxy, or with none configured, the same headers are ignored.
/// </summary>
public sealed class ForwardedHeadersTests
{
    private const string Client = "203.0.113.7";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Behind_a_trusted_proxy_the_request_is_https_every_cookie_is_secure_and_the_clients_address_is_on_record()
    {
        await using var app = await StartAsync(new() { ["ForwardedHeaders:KnownProxies:0"] = "127.0.0.1" });

        var (login, signIn, user) = await SignInAsync(app);
        var language = await SendAsync(app, HttpMethod.Get, "/language/en?returnUrl=/cases");

        Assert.Contains("secure", Cookie(login, ".AspNetCore.Antiforgery."), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", Cookie(signIn, "em.session"), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", Cookie(language, ".AspNetCore.Culture"), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(Enforcement.Media.Storage.Hosting.SecurityHeaders.StrictTransportSecurity, Assert.Single(signIn.Headers.GetValues("Strict-Transport-Security")));
        Assert.Equal(Client, await LoginAddressAsync(app, user));
        Assert.Equal(Client, await LedgerAddressAsync(app));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("10.9.8.7")]
    public async Task Forwarded_headers_from_an_address_that_is_not_a_trusted_proxy_are_ignored(string? trustedProxy)
    {
        await using var app = await StartAsync(trustedProxy is null ? [] : new() { ["ForwardedHeaders:KnownProxies:0"] = trustedProxy });

        var (login, signIn, user) = await SignInAsync(app);

        Assert.DoesNotContain("secure", Cookie(login, ".AspNetCore.Antiforgery."), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", Cookie(signIn, "em.session"), StringComparison.OrdinalIgnoreCase);
        Assert.False(signIn.Headers.Contains("Strict-Transport-Security"));
        Assert.Equal("127.0.0.1", await LoginAddressAsync(app, user));
        Assert.Equal("127.0.0.1", await LedgerAddressAsync(app));
    }

    private static async Task<PlayerApp> StartAsync(Dictionary<string, string> settings)
    {
        var app = new PlayerApp(settings);
        await app.InitializeAsync();
        return app;
    }

    /// <summary>Signs in the way a browser behind the proxy does, carrying the antiforgery cookie by hand: a Secure cookie would not go back over this plain-HTTP test connection.</summary>
    private static async Task<(HttpResponseMessage Login, HttpResponseMessage SignIn, UserAccount User)> SignInAsync(PlayerApp app)
    {
        var password = $"pw-{Guid.NewGuid():N}";
        var user = await app.Service<AccountService>().CreateAsync($"u{Guid.NewGuid():N}"[..20], "Proxied User", null, [Roles.Reviewer], password, mustChangePassword: false, "user:test", Token);
        var login = await SendAsync(app, HttpMethod.Get, "/accounts/login");
        var antiforgery = Cookie(login, ".AspNetCore.Antiforgery.").Split(';')[0];
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Username"] = user.Username,
            ["Password"] = password,
            ["__RequestVerificationToken"] = PlayerApp.AntiforgeryTokenIn(await login.Content.ReadAsStringAsync(Token), "/accounts/login"),
        });
        var signIn = await SendAsync(app, HttpMethod.Post, "/accounts/login", form, antiforgery);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        return (login, signIn, user);
    }

    /// <summary>A request as the proxy passes it on: the client's address and the scheme it used.</summary>
    private static async Task<HttpResponseMessage> SendAsync(PlayerApp app, HttpMethod method, string path, HttpContent? content = null, string? cookie = null)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = app.BaseAddress };
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Add("X-Forwarded-For", Client);
        request.Headers.Add("X-Forwarded-Proto", "https");
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        return await client.SendAsync(request, Token);
    }

    private static string Cookie(HttpResponseMessage response, string namePrefix) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.FirstOrDefault(c => c.StartsWith(namePrefix, StringComparison.Ordinal)) is { } cookie
            ? cookie
            : throw new InvalidOperationException($"{response.RequestMessage?.RequestUri} set no cookie {namePrefix}");

    private static async Task<string?> LoginAddressAsync(PlayerApp app, UserAccount user)
    {
        var details = await new Records.RecordsHarness(app).LastEventAsync("login.succeeded", user.Id.ToString());
        return JsonDocument.Parse(details!).RootElement.GetProperty("clientAddress").GetString();
    }

    /// <summary>Starts a viewing through the proxy (a bearer client: no cookies to carry) and reads its client address back from the ledger.</summary>
    private static async Task<string?> LedgerAddressAsync(PlayerApp app)
    {
        var playback = new PlaybackHarness(app);
        var unit = await playback.Records.UnitAsync();
        var footage = await playback.FootageAsync(unit);
        var viewer = await playback.ApiAsync([Roles.Reviewer], unit);
        var supervisor = await playback.ApiAsync([Roles.Supervisor], unit);
        viewer.Http.DefaultRequestHeaders.Add("X-Forwarded-For", Client);
        viewer.Http.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");

        await PlaybackHarness.StartAsync(viewer, footage.RecordingId);
        var ledger = await supervisor.Http.GetFromJsonAsync<JsonElement>($"/api/v1/ledger?recording={footage.RecordingId}", Token);
        return Assert.Single(ledger.GetProperty("items").EnumerateArray()).GetProperty("clientAddress").GetString();
    }
}
