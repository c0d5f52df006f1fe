using System.Net;
using System.Net.Http.Json;
using Dapper;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Storage.Retention;
using Enforcement.Media.Storage.Stations;
using Enforcement.Media.Tests.Infrastructure;

namespace Enforcement.Media.Tests.Player.Records;

/// <summary>
/// Every endpoint of the admin, records-management and export features × every role
/// (and no sign-in), through the real app. A role that may not act gets 401/403 (pages: a redirect to
/// sign-in or "denied"); nothing it asked for is served, and nothing changes — every change the player
/// makes is an audit event, so the count of audit events must not move while the refused requests run.
/// Each request is real and well formed (real ids, valid input), so only authorization stands in its way.
/// </summary>
public sealed class RecordsAuthorizationTests(PlayerApp app) : IClassFixture<PlayerApp>
{
    private const string Anonymous = "anonymous";
    private static readonly string[] Administrators = [Roles.Admin];
    private static readonly string[] RecordsManagers = [Roles.RecordsManager];
    private static readonly string[] Requesters = [Roles.LegalReviewer, Roles.Supervisor];
    private static readonly string[] Watchers = [Roles.Reviewer, Roles.LegalReviewer, Roles.Supervisor];
    private static readonly string[] Supervisors = [Roles.Supervisor];

    private readonly RecordsHarness _records = new(app);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(Anonymous)]
    [InlineData(Roles.Reviewer)]
    [InlineData(Roles.LegalReviewer)]
    [InlineData(Roles.Supervisor)]
    [InlineData(Roles.RecordsManager)]
    [InlineData(Roles.Admin)]
    public async Task Each_role_reaches_exactly_the_endpoints_it_may_and_the_others_serve_and_change_nothing(string role)
    {
        var world = await WorldAsync();
        var (cookie, antiforgery) = await ClientAsync(role, world.Unit);
        HttpClient? bearer = null;
        if (role != Anonymous)
        {
            (bearer, _) = await _records.BearerAsync([role], world.Unit);
        }

        var endpoints = Endpoints(world);
        var refused = endpoints.Where(e => !e.Allowed.Contains(role)).ToList();
        var before = await _records.AllEventsAsync();
        foreach (var endpoint in refused)
        {
            await AssertRefusedAsync(role, endpoint, await SendAsync(cookie, antiforgery, endpoint), world);
            if (bearer is not null && endpoint.IsApi)
            {
                await AssertRefusedAsync(role, endpoint, await SendAsync(bearer, null, endpoint), world);
            }
        }

        Assert.Equal(before, await _records.AllEventsAsync());

        foreach (var endpoint in endpoints.Where(e => e.Allowed.Contains(role)))
        {
            var response = await SendAsync(cookie, antiforgery, endpoint);
            var body = await response.Content.ReadAsStringAsync(Token);
            var location = response.Headers.Location?.OriginalString ?? string.Empty;
            Assert.False(
                response.StatusCode is HttpStatusCode.Unauthorized || location.StartsWith("/accounts/", StringComparison.Ordinal)
                || (response.StatusCode == HttpStatusCode.Forbidden && !body.Contains("Only the user who requested", StringComparison.Ordinal)),
                $"{role} was refused {endpoint}: {(int)response.StatusCode} {location} {body}");
        }

        Assert.Equal(Roles.All.Count, Roles.All.Distinct().Count()); // the roles under test are the roles there are
    }

    private static async Task AssertRefusedAsync(string role, Endpoint endpoint, HttpResponseMessage response, World world)
    {
        var body = await response.Content.ReadAsStringAsync(Token);
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

        foreach (var secret in world.Secrets)
        {
            Assert.DoesNotContain(secret, body, StringComparison.Ordinal);
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
            if (antiforgery is not null)
            {
                request.Headers.Add("RequestVerificationToken", antiforgery);
            }
        }

        return await client.SendAsync(request, Token);
    }

    /// <summary>A signed-in browser (cookie) for the role, with an antiforgery token for its forms; or a stranger's.</summary>
    private async Task<(HttpClient Client, string Antiforgery)> ClientAsync(string role, string unit)
    {
        if (role == Anonymous)
        {
            var stranger = app.NewClient();
            return (stranger, await PlayerApp.AntiforgeryTokenAsync(stranger, "/accounts/login"));
        }

        var (client, _) = await app.SignedInAsync([role], unit);
        return (client, await PlayerApp.AntiforgeryTokenAsync(client, "/"));
    }

    /// <summary>Real things to act on: a user with a token, a station key, a recording with a hold, a pending export.</summary>
    private async Task<World> WorldAsync()
    {
        var unit = await _records.UnitAsync();
        var (_, target) = await _records.BearerAsync([Roles.Reviewer], unit);
        var tokenId = (await app.Service<Enforcement.Media.Player.Accounts.UserTokenStore>().ListAsync(target.Id, Token))[0].Id;
        var key = await app.Service<ApiKeyStore>().CreateAsync($"KEY-{Guid.NewGuid():N}", ApiKeyKind.Station, null, "user:test", Token);
        var (recording, _) = await _records.RecordingAsync(unit);
        var holdId = await app.Service<LegalHoldService>().PlaceAsync(recording.RecordingId, "user:test", "an existing hold", Token);
        var (requester, _) = await _records.BearerAsync([Roles.LegalReviewer], unit);
        var reason = $"SECRET-REASON-{Guid.NewGuid():N}";
        var exportId = await ExportFlow.RequestAsync(requester, [recording.RecordingId], reason);
        var proposalId = await ProposalAsync(recording.RecordingId);
        return new World(unit, target.Id, tokenId, key.Key.Id, recording.RecordingId, holdId, exportId, proposalId, [recording.Sha256.Hex, reason, target.Username]);
    }

    private static List<Endpoint> Endpoints(World w)
    {
        var password = $"pw-{Guid.NewGuid():N}";
        var until = TimeProvider.System.GetUtcNow().AddYears(40);
        return
        [
            // Administration (admins only).
            Page("GET", "/admin/users", Administrators),
            Page("POST", "/admin/users", Administrators, new() { ["Username"] = $"n{Guid.NewGuid():N}"[..20], ["DisplayName"] = "New", ["Roles"] = Roles.Reviewer, ["Password"] = password }),
            Page("GET", $"/admin/users/{w.UserId}", Administrators),
            Page("POST", $"/admin/users/{w.UserId}?handler=Save", Administrators, new() { ["Roles"] = Roles.Supervisor, ["UnitCode"] = string.Empty }),
            Page("POST", $"/admin/users/{w.UserId}?handler=Password", Administrators, new() { ["NewPassword"] = password }),
            Page("POST", $"/admin/users/{w.UserId}?handler=SignOutEverywhere", Administrators, []),
            Page("POST", $"/admin/users/{w.UserId}?handler=RevokeToken", Administrators, new() { ["TokenId"] = w.TokenId.ToString() }),
            Page("POST", $"/admin/users/{w.UserId}?handler=Disable", Administrators, []),
            Page("POST", $"/admin/users/{w.UserId}?handler=Enable", Administrators, []),
            Page("GET", "/admin/units", Administrators),
            Page("POST", "/admin/units", Administrators, new() { ["Code"] = $"M{Guid.NewGuid():N}"[..20], ["Name"] = "Matrix unit" }),
            Page("GET", "/admin/assignments", Administrators),
            Page("POST", "/admin/assignments", Administrators, new() { ["CaseNumber"] = "NO-SUCH-CASE", ["Username"] = "admin" }),
            Page("GET", "/admin/keys", Administrators),
            Page("POST", "/admin/keys?handler=Create", Administrators, new() { ["Name"] = $"DOCK-{Guid.NewGuid():N}", ["Kind"] = "station" }),
            Page("POST", "/admin/keys?handler=Revoke", Administrators, new() { ["KeyId"] = w.KeyId.ToString() }),

            // Records management (records managers only): pages and API.
            Page("GET", "/retention", RecordsManagers),
            Page("GET", $"/retention/recordings/{w.RecordingId}", RecordsManagers),
            Page("POST", $"/retention/recordings/{w.RecordingId}?handler=Hold", RecordsManagers, new() { ["Reason"] = "matrix hold" }),
            Page("POST", $"/retention/recordings/{w.RecordingId}?handler=Release", RecordsManagers, new() { ["HoldId"] = w.HoldId.ToString(), ["Reason"] = "matrix release" }),
            Page("POST", $"/retention/recordings/{w.RecordingId}?handler=Extend", RecordsManagers, new() { ["Until"] = until.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), ["Reason"] = "matrix extend" }),
            Page("GET", "/retention/disposition", RecordsManagers),
            Page("POST", "/retention/disposition?handler=Refresh", RecordsManagers, []),
            Page("POST", "/retention/disposition?handler=Propose", RecordsManagers, new() { ["RecordingId"] = w.RecordingId.ToString(), ["Reason"] = "matrix disposal" }),
            Page("POST", "/retention/disposition?handler=Approve", RecordsManagers, new() { ["EntryId"] = w.ProposalId.ToString(), ["Reason"] = "matrix approval" }),
            Page("POST", "/retention/disposition?handler=Refuse", RecordsManagers, new() { ["EntryId"] = w.ProposalId.ToString(), ["Reason"] = "matrix refusal" }),
            Page("GET", "/retention/register", RecordsManagers),
            Page("GET", "/retention/reconcile", RecordsManagers),
            Page("POST", "/retention/reconcile", RecordsManagers, []),
            Api("GET", $"/api/v1/retention/recordings/{w.RecordingId}", RecordsManagers),
            Api("GET", "/api/v1/retention/holds", RecordsManagers),
            Api("POST", $"/api/v1/retention/recordings/{w.RecordingId}/holds", RecordsManagers, new { reason = "matrix hold" }),
            Api("POST", $"/api/v1/retention/holds/{w.HoldId}/release", RecordsManagers, new { reason = "matrix release" }),
            Api("POST", $"/api/v1/retention/recordings/{w.RecordingId}/extend", RecordsManagers, new { retainUntil = until.AddDays(1), reason = "matrix extend" }),
            Api("GET", "/api/v1/retention/disposition", RecordsManagers),
            Api("POST", "/api/v1/retention/disposition/refresh", RecordsManagers, new { }),
            Api("POST", $"/api/v1/retention/disposition/{w.RecordingId}/proposal", RecordsManagers, new { reason = "matrix disposal" }),
            Api("POST", $"/api/v1/retention/disposition/proposals/{w.ProposalId}/approve", RecordsManagers, new { reason = "matrix approval" }),
            Api("POST", $"/api/v1/retention/disposition/proposals/{w.ProposalId}/refuse", RecordsManagers, new { reason = "matrix refusal" }),
            Api("GET", "/api/v1/retention/destruction-register", RecordsManagers),
            Api("GET", "/api/v1/retention/destruction-register.csv", RecordsManagers),
            Api("POST", "/api/v1/retention/reconcile", RecordsManagers, new { }),

            // Exports: roles that may view originals request; supervisors decide; the requester downloads
            // (every watching role reaches the download, whose refusal of anyone else is ExportService's).
            Page("GET", "/exports", Requesters),
            Page("POST", "/exports", Requesters, new() { ["Recordings"] = w.RecordingId.ToString(), ["Reason"] = "matrix export", ["Recipient"] = "court" }),
            Page("GET", $"/exports/{w.ExportId}", Requesters),
            Page("GET", "/exports/approvals", Supervisors),
            Page("POST", "/exports/approvals?handler=Deny", Supervisors, new() { ["ExportId"] = w.ExportId.ToString(), ["Reason"] = "matrix deny" }),
            Page("POST", "/exports/approvals?handler=Approve", Supervisors, new() { ["ExportId"] = w.ExportId.ToString(), ["Reason"] = "matrix approve" }),
            Api("POST", "/api/v1/exports", Requesters, new { recordings = new[] { w.RecordingId.ToString() }, reason = "matrix export", recipient = "court" }),
            Api("GET", "/api/v1/exports", Requesters),
            Api("GET", $"/api/v1/exports/{w.ExportId}", Requesters),
            Api("GET", "/api/v1/exports/pending", Supervisors),
            Api("POST", $"/api/v1/exports/{w.ExportId}/deny", Supervisors, new { reason = "matrix deny" }),
            Api("POST", $"/api/v1/exports/{w.ExportId}/approve", Supervisors, new { reason = "matrix approve" }),
            Api("GET", $"/api/v1/exports/{w.ExportId}/package", Watchers),
        ];
    }

    private static Endpoint Page(string method, string path, string[] allowed, Dictionary<string, string>? form = null) => new(method, path, allowed, false, form, null);

    private static Endpoint Api(string method, string path, string[] allowed, object? json = null) => new(method, path, allowed, true, null, json);

    private sealed record Endpoint(string Method, string Path, string[] Allowed, bool IsApi, Dictionary<string, string>? Form, object? Json)
    {
        public override string ToString() => $"{Method} {Path}";
    }

    /// <summary>
    /// A proposal by someone else to dispose of the recording, written as the queue holds one (the held recording
    /// could not be proposed through the service): a records manager reaches the decision, which the hold refuses.
    /// </summary>
    private async Task<Guid> ProposalAsync(Guid recordingId)
    {
        var id = Guid.NewGuid();
        await using var connection = await _records.Catalogue.OpenConnectionAsync(Token);
        await connection.ExecuteAsync(
            """
            INSERT INTO disposition_queue (id, recording_id, state, eligible_since, queued_at, proposed_by, proposed_at, proposal_reason)
            VALUES (@id, @recordingId, 'proposed', now(), now(), 'user:another-records-manager', now(), 'matrix proposal')
            """,
            new { id, recordingId });
        return id;
    }

    private sealed record World(string Unit, Guid UserId, Guid TokenId, Guid KeyId, Guid RecordingId, Guid HoldId, Guid ExportId, Guid ProposalId, string[] Secrets);
}
