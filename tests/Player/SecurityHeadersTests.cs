using System.Net;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Player.Hosting;
using Enforcement.Media.Storage.Hosting;
using Enforcement.Media.Tests.Infrastructure;
using Enforcement.Media.Tests.Player.Playback;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Enforcement.Media.Tests.Player;

/// <summary>
/// Every answer of the player carries its Content-Security-Policy, <c>X-Frame-Options</c>,
/// <c>X-Content-Type-Options</c> and <c>Referrer-Policy</c> — pages, APIs, redirects and refusals alike —
/// and HSTS when the request is HTTPS; the media stream keeps its own stricter policy.
/// </summary>
public sealed class SecurityHeadersTests(PlayerApp app) : IClassFixture<PlayerApp>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_page_an_api_answer_a_redirect_and_a_refusal_carry_the_security_headers()
    {
        var (browser, _) = await app.SignedInAsync([Roles.Reviewer]);
        var stranger = app.NewClient();

        var page = await browser.GetAsync("/cases", Token);
        var api = await browser.GetAsync("/api/v1/me", Token);
        var redirect = await stranger.GetAsync("/cases", Token);
        var refusal = await stranger.GetAsync("/api/v1/me", Token);
        var notFound = await browser.GetAsync($"/api/v1/recordings/{Guid.NewGuid()}/markers", Token);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refusal.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        foreach (var response in new[] { page, api, redirect, refusal, notFound })
        {
            var what = $"{response.RequestMessage!.RequestUri} ({(int)response.StatusCode})";
            Assert.True(Header(response, "Content-Security-Policy") == PlayerSecurityHeaders.ContentSecurityPolicy, what);
            Assert.True(Header(response, "X-Frame-Options") == "DENY", what);
            Assert.True(Header(response, "X-Content-Type-Options") == "nosniff", what);
            Assert.True(Header(response, "Referrer-Policy") == "no-referrer", what);
            Assert.False(response.Headers.Contains("Strict-Transport-Security"), what); // plain HTTP: nothing to pin
        }
    }

    [Fact]
    public void The_policy_allows_only_same_origin_content_and_no_inline_script_nor_framing()
    {
        var policy = PlayerSecurityHeaders.ContentSecurityPolicy.Split(';', StringSplitOptions.TrimEntries).ToDictionary(d => d.Split(' ')[0], d => d[(d.IndexOf(' ', StringComparison.Ordinal) + 1)..]);

        Assert.Equal("'none'", policy["default-src"]);
        foreach (var directive in (string[])["script-src", "style-src", "img-src", "media-src", "connect-src", "form-action", "base-uri"])
        {
            Assert.Equal("'self'", policy[directive]);
        }

        Assert.Equal("'none'", policy["frame-ancestors"]);
        Assert.Equal("'none'", policy["object-src"]);
        Assert.Equal("'unsafe-inline'", policy["style-src-attr"]);
        Assert.DoesNotContain("unsafe-eval", PlayerSecurityHeaders.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.False(policy.ContainsKey("style-src-elem")); // falls back to style-src 'self'
    }

    [Fact]
    public async Task An_https_request_gets_strict_transport_security()
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://player.example"), AllowAutoRedirect = false });

        var response = await client.GetAsync("/accounts/login", Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(SecurityHeaders.StrictTransportSecurity, Header(response, "Strict-Transport-Security"));
    }

    [Fact]
    public async Task The_media_stream_keeps_its_own_stricter_policy()
    {
        var playback = new PlaybackHarness(app);
        var unit = await playback.Records.UnitAsync();
        var footage = await playback.FootageAsync(unit);
        var viewer = await playback.ApiAsync([Roles.Reviewer], unit);
        var session = await PlaybackHarness.SessionAsync(viewer, footage.RecordingId);

        var media = await PlaybackHarness.GetAsync(viewer, $"/api/v1/sessions/{session}/media", "bytes=0-9");

        Assert.Equal(HttpStatusCode.PartialContent, media.StatusCode);
        Assert.Equal("default-src 'none'; sandbox", Header(media, "Content-Security-Policy"));
        Assert.Equal("nosniff", Header(media, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(media, "X-Frame-Options"));
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? string.Join(", ", values) : null;
}
