using System.Net;
using System.Net.Http.Json;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Tests.Infrastructure;

namespace Enforcement.Media.Tests.Player.Playback;

/// <summary>
/// Every viewing, approval and ledger endpoint × every role (and no sign-in), by cookie
/// and by bearer token. A role that may not act gets 401/403 (pages: a redirect to sign-in or "denied"),
/// nothing it asked for is served, and nothing is audited — every change and every served byte is an audit
/// event, so the count of audit events must not move while the refused requests run. Each request is real
/// and well formed (real ids, a live session, valid bodies), so only authorization stands in its way.
/// </summary>
public sealed class PlaybackAuthorizationTests(PlayerApp app) : IClassFixture<PlayerApp>
{
    private const string Anonymous = "anonymous";
    private static readonly string[] Watchers = [Roles.Reviewer, Roles.LegalReviewer, Roles.Supervisor];
    private static readonly string[] Supervisors = [Roles.Supervisor];
    private static readonly string[] Classifiers = [Roles.Supervisor, Roles.RecordsManager];

    private readonly PlaybackHarness _playback = new(app);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(Anonymous)]
    [InlineData(Roles.Reviewer)]
    [InlineData(Roles.LegalReviewer)]
    [InlineData(Roles.Supervisor)]
    [InlineData(Roles.RecordsManager)]
    [InlineData(Roles.Admin)]
    public async Task Each_role_reaches_exactly_the_viewing_endpoints_it_may_and_the_others_serve_and_log_nothing(string role)
    {
        var unit = await _playback.Records.UnitAsync();
        var footage = await _playback.FootageAsync(unit, thumbnails: true);
        var classified = await _playback.FootageAsync(unit);
        await _playback.ClassifyAsync(classified.RecordingId, "personal_privacy");
        var owner = await _playback.ApiAsync([Roles.Reviewer], unit);
        var reason = $"SECRET-REASON-{Guid.NewGuid():N}";
        var othersSession = (await PlaybackHarness.StartAsync(owner, footage.RecordingId, reason)).GetProperty("sessionId").GetGuid();
        var approvalResponse = await owner.PostAsync($"/api/v1/recordings/{classified.RecordingId}/view-approvals", new { reason });
        Assert.Equal(HttpStatusCode.Created, approvalResponse.StatusCode);
        var approval = (await approvalResponse.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Token)).GetProperty("id").GetGuid();

        PlaybackHarness.Client? cookie = null;
        HttpClient browser;
        string antiforgery;
        PlaybackHarness.Client? bearer = null;
        if (role == Anonymous)
        {
            browser = app.NewClient();
            antiforgery = await PlayerApp.AntiforgeryTokenAsync(browser, "/accounts/login");
        }
        else
        {
            cookie = await _playback.BrowserAsync([role], unit);
            (browser, antiforgery) = (cookie.Http, cookie.Antiforgery!);
            bearer = await _playback.ApiAsync([role], unit);
        }

        // The session the allowed phase uses is the signed-in user's own; refused roles try someone else's.
        var session = Watchers.Contains(role) ? (await PlaybackHarness.StartAsync(cookie!, footage.RecordingId)).GetProperty("sessionId").GetGuid() : othersSession;
        var endpoints = Endpoints(footage.RecordingId, classified.RecordingId, session, approval);
        var secrets = new[] { reason, Convert.ToHexStringLower(footage.Rendition.AsSpan(0, 12)) };

        var before = await _playback.Records.AllEventsAsync();
        foreach (var endpoint in endpoints.Where(e => !e.Allowed.Contains(role)))
        {
            await AssertRefusedAsync(role, endpoint, await SendAsync(browser, antiforgery, endpoint), footage.Rendition, secrets);
            if (bearer is not null && endpoint.IsApi)
            {
                await AssertRefusedAsync(role, endpoint, await SendAsync(bearer.Http, null, endpoint), footage.Rendition, secrets);
            }
        }

        Assert.Equal(before, await _playback.Records.AllEventsAsync());

        foreach (var endpoint in endpoints.Where(e => e.Allowed.Contains(role)))
        {
            var response = await SendAsync(browser, antiforgery, endpoint);
            var body = await response.Content.ReadAsStringAsync(Token);
            var location = response.Headers.Location?.OriginalString ?? string.Empty;
            Assert.False(
                response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden || location.StartsWith("/accounts/", StringComparison.Ordinal),
                $"{role} was refused {endpoint}: {(int)response.StatusCode} {location} {body}");
            Assert.True((int)response.StatusCode < 500, $"{role} → {endpoint}: {(int)response.StatusCode} {body}");
        }

        Assert.Equal(Roles.All.Count, Roles.All.Distinct().Count());
    }

    private static async Task AssertRefusedAsync(string role, Endpoint endpoint, HttpResponseMessage response, byte[] rendition, string[] secrets)
    {
        var body = await response.Content.ReadAsByteArrayAsync(Token);
        var text = System.Text.Encoding.UTF8.GetString(body);
        var what = $"{role} → {endpoint}: {(int)response.StatusCode} {response.Headers.Location}";
        if (endpoint.IsApi)
        {
            Assert.True(response.StatusCode == (role == Anonymous ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden), what);
        }
        else
        {
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, what);
            Assert.StartsWith(role == Anonymous ? "/accounts/login" : "/accounts/denied", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }

        Assert.True(body.AsSpan().IndexOf(rendition.AsSpan(0, 16)) < 0, what);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string? antiforgery, Endpoint endpoint)
    {
        using var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), endpoint.Path);
        if (endpoint.Form is { } form)
        {
            var fields = new Dictionary<string, string>(form);
            if (antiforgery is not null)
            {
                fields["__RequestVerificationToken"] = antiforgery;
            }

            request.Content = new FormUrlEncodedContent(fields);
        }
        else if (endpoint.Json is { } json)
        {
            request.Content = JsonContent.Create(json);
        }

        if (antiforgery is not null && endpoint.Method is "POST" or "PUT" && endpoint.Form is null)
        {
            request.Headers.Add("RequestVerificationToken", antiforgery);
        }

        if (endpoint.Method is "GET" or "HEAD" && endpoint.Path.EndsWith("/media", StringComparison.Ordinal))
        {
            request.Headers.TryAddWithoutValidation("Range", "bytes=0-1023");
        }

        return await client.SendAsync(request, Token);
    }

    private static List<Endpoint> Endpoints(Guid recording, Guid classified, Guid session, Guid approval) =>
    [
        Api("POST", $"/api/v1/recordings/{recording}/sessions", Watchers, new { reason = "matrix viewing", variant = "rendition" }),
        Api("GET", $"/api/v1/sessions/{session}/media", Watchers),
        Api("HEAD", $"/api/v1/sessions/{session}/media", Watchers),
        Api("GET", $"/api/v1/sessions/{session}/thumbnails.vtt", Watchers),
        Api("GET", $"/api/v1/sessions/{session}/sprite.jpg", Watchers),
        Api("GET", $"/api/v1/sessions/{session}/poster.jpg", Watchers),
        Api("POST", $"/api/v1/sessions/{session}/heartbeats", Watchers, new { position = 0.0, playing = false, rate = 1.0 }),
        Api("POST", $"/api/v1/recordings/{classified}/view-approvals", Watchers, new { reason = "matrix approval" }),
        Api("GET", $"/api/v1/recordings/{classified}/view-approvals", Watchers),
        Api("GET", "/api/v1/view-approvals/pending", Supervisors),
        Api("POST", $"/api/v1/view-approvals/{approval}/decision", Supervisors, new { approve = false, reason = "matrix deny" }),
        Api("PUT", $"/api/v1/recordings/{recording}/classification", Classifiers, new { classification = "normal", reason = "matrix classification" }),
        Api("GET", "/api/v1/ledger", Supervisors),
        Api("GET", "/api/v1/ledger.csv", Supervisors),
        Api("GET", $"/api/v1/recordings/{recording}/watched", Supervisors),
        Page("GET", "/ledger", Supervisors),
        Page("GET", "/approvals", Supervisors),
        Page("GET", "/approvals/viewing", Supervisors),
        Page("POST", "/approvals/viewing?handler=Deny", Supervisors, new() { ["ApprovalId"] = approval.ToString(), ["Reason"] = "matrix deny" }),
        Page("POST", "/approvals/viewing?handler=Approve", Supervisors, new() { ["ApprovalId"] = approval.ToString(), ["Reason"] = "matrix approve" }),
        Api("POST", $"/api/v1/sessions/{session}/end", Watchers, new { }),
    ];

    private static Endpoint Page(string method, string path, string[] allowed, Dictionary<string, string>? form = null) => new(method, path, allowed, false, form, null);

    private static Endpoint Api(string method, string path, string[] allowed, object? json = null) => new(method, path, allowed, true, null, json);

    private sealed record Endpoint(string Method, string Path, string[] Allowed, bool IsApi, Dictionary<string, string>? Form, object? Json)
    {
        public override string ToString() => $"{Method} {Path}";
    }
}
