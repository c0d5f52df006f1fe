using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.RegularExpressions;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Tests.Infrastructure;
using Microsoft.AspNetCore.Razor.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Enforcement.Media.Tests.Player;

/// <summary>
/// Every route of the player — each minimal-API endpoint with its methods, each Razor page with each of
/// its handlers — read from the app's own endpoint data source, so a route added later cannot be forgotten:
/// one that is not in <see cref="Access"/> fails the test. Each is then called as a stranger and as every
/// role, with fresh ids and without antiforgery tokens (so nothing changes: authorization answers before
/// any antiforgery check or handler), and must be refused exactly where the table says and let through
/// everywhere else. Deeper checks — real ids, nothing served, nothing audited — are the feature matrices'.
/// </summary>
public sealed partial class RouteAuthorizationTests(PlayerApp app) : IClassFixture<PlayerApp>
{
    private const string Anonymous = "anonymous";
    private static readonly string[] Everyone = [Anonymous, .. Roles.All];
    private static readonly string[] SignedIn = [.. Roles.All];
    private static readonly string[] Watchers = [Roles.Reviewer, Roles.LegalReviewer, Roles.Supervisor];
    private static readonly string[] Linkers = [Roles.Reviewer, Roles.LegalReviewer, Roles.Supervisor];
    private static readonly string[] RedactedWatchers = [Roles.Reviewer, Roles.LegalReviewer, Roles.Supervisor, Roles.Publisher];
    private static readonly string[] CaseReaders = [Roles.Reviewer, Roles.LegalReviewer, Roles.Supervisor, Roles.RecordsManager];
    private static readonly string[] ExportRequesters = [Roles.LegalReviewer, Roles.Supervisor];
    private static readonly string[] Classifiers = [Roles.Supervisor, Roles.RecordsManager];
    private static readonly string[] Supervisors = [Roles.Supervisor];
    private static readonly string[] RecorderKeepers = [Roles.Supervisor, Roles.RecordsManager];
    private static readonly string[] RecordsManagers = [Roles.RecordsManager];
    private static readonly string[] StatisticsReaders = [Roles.LegalReviewer, Roles.Supervisor];
    private static readonly string[] Admins = [Roles.Admin];

    /// <summary>Who may reach each route: <c>METHOD /pattern</c>, with <c>?handler=Name</c> for a page handler.</summary>
    private static readonly Dictionary<string, string[]> Access = new(StringComparer.Ordinal)
    {
        // Signing in, the language switch and the health probe need no one; everything else someone.
        ["* /health"] = Everyone,
        ["GET /accounts/login"] = Everyone,
        ["POST /accounts/login"] = Everyone,
        ["GET /language/{culture}"] = Everyone,
        ["GET /"] = SignedIn,
        ["GET /accounts/denied"] = SignedIn,
        ["POST /accounts/logout"] = SignedIn,
        ["GET /api/v1/me"] = SignedIn,

        // One's own account: every user has it, for themselves only.
        ["GET /account"] = SignedIn,
        ["POST /account?handler=IssueToken"] = SignedIn,
        ["POST /account?handler=RevokeToken"] = SignedIn,
        ["POST /account?handler=EndOtherSessions"] = SignedIn,
        ["POST /account?handler=SignOutEverywhere"] = SignedIn,
        ["GET /account/password"] = SignedIn,
        ["POST /account/password"] = SignedIn,

        // Administration: people, units, keys — admins only, and they get nothing else below.
        ["GET /admin/users"] = Admins,
        ["POST /admin/users"] = Admins,
        ["GET /admin/users/{id:guid}"] = Admins,
        ["POST /admin/users/{id:guid}?handler=Save"] = Admins,
        ["POST /admin/users/{id:guid}?handler=Disable"] = Admins,
        ["POST /admin/users/{id:guid}?handler=Enable"] = Admins,
        ["POST /admin/users/{id:guid}?handler=Password"] = Admins,
        ["POST /admin/users/{id:guid}?handler=RevokeToken"] = Admins,
        ["POST /admin/users/{id:guid}?handler=SignOutEverywhere"] = Admins,
        ["GET /admin/units"] = Admins,
        ["POST /admin/units"] = Admins,
        ["GET /admin/assignments"] = Admins,
        ["POST /admin/assignments"] = Admins,
        ["GET /admin/keys"] = Admins,
        ["POST /admin/keys?handler=Create"] = Admins,
        ["POST /admin/keys?handler=Revoke"] = Admins,

        // Cases and recordings (pages): whoever reads cases; footage itself only through a viewing.
        ["GET /cases"] = CaseReaders,
        ["GET /cases/{caseNumber}"] = CaseReaders,
        ["GET /recordings"] = CaseReaders,
        ["GET /api/v1/recordings"] = CaseReaders,
        ["GET /recordings/{id:guid}"] = CaseReaders,
        ["GET /api/v1/recordings/{recordingId:guid}/markers/"] = CaseReaders,
        ["POST /api/v1/recordings/{recordingId:guid}/markers/"] = Watchers,

        // Case links: read with the recording; made and removed by hand, with a reason, by the reviewers who watch
        // footage (a records manager keeps retention, which follows the links, and does not make them).
        ["GET /api/v1/recordings/{recordingId:guid}/links/"] = CaseReaders,
        ["POST /api/v1/recordings/{recordingId:guid}/links/"] = Linkers,
        ["DELETE /api/v1/recordings/{recordingId:guid}/links/{linkId:guid}"] = Linkers,
        ["GET /recordings/{id:guid}/link"] = Linkers,
        ["POST /recordings/{id:guid}/link"] = Linkers,
        ["POST /recordings/{id:guid}/link?handler=Unlink"] = Linkers,

        // Viewing: sessions and everything they stream.
        // The publication office passes here and may start only redacted viewings (the service refuses the rest).
        ["POST /api/v1/recordings/{recordingId:guid}/sessions"] = RedactedWatchers,
        ["GET /api/v1/sessions/{sessionId:guid}/media"] = RedactedWatchers,
        ["HEAD /api/v1/sessions/{sessionId:guid}/media"] = RedactedWatchers,
        ["GET /api/v1/sessions/{sessionId:guid}/thumbnails.vtt"] = RedactedWatchers,
        ["GET /api/v1/sessions/{sessionId:guid}/sprite.jpg"] = RedactedWatchers,
        ["GET /api/v1/sessions/{sessionId:guid}/poster.jpg"] = RedactedWatchers,
        ["POST /api/v1/sessions/{sessionId:guid}/heartbeats"] = RedactedWatchers,
        ["POST /api/v1/sessions/{sessionId:guid}/end"] = RedactedWatchers,

        // Redaction: drawn by those who may watch the footage; read by the publication office too.
        ["POST /api/v1/recordings/{recordingId:guid}/redactions"] = Watchers,
        ["GET /api/v1/recordings/{recordingId:guid}/redactions"] = RedactedWatchers,
        ["GET /api/v1/redactions/{redactionId:guid}"] = RedactedWatchers,
        ["PUT /api/v1/redactions/{redactionId:guid}"] = Watchers,
        ["DELETE /api/v1/redactions/{redactionId:guid}"] = Watchers,
        ["POST /api/v1/redactions/{redactionId:guid}/render"] = Watchers,
        ["POST /api/v1/recordings/{recordingId:guid}/suggestion-runs"] = Watchers,
        ["GET /api/v1/suggestion-runs/{runId:guid}"] = Watchers,
        ["GET /api/v1/recordings/{recordingId:guid}/suggestion-runs/latest"] = Watchers,
        ["POST /api/v1/redaction-suggestions/{suggestionId:guid}/decision"] = Watchers,

        // Publication (公示): asked for and withdrawn by watchers and the publication office, decided by supervisors,
        // and the public address for everyone.
        ["POST /api/v1/redactions/{redactionId:guid}/publications"] = RedactedWatchers,
        ["GET /api/v1/publications"] = RedactedWatchers,
        ["GET /api/v1/publications/{publicationId:guid}"] = RedactedWatchers,
        ["POST /api/v1/publications/{publicationId:guid}/decision"] = Supervisors,
        ["POST /api/v1/publications/{publicationId:guid}/withdrawal"] = RedactedWatchers,
        ["GET /public/{token}"] = Everyone,
        ["GET /public/{token}/media"] = Everyone,
        ["HEAD /public/{token}/media"] = Everyone,

        // The pages of it: the list (and withdrawal) for all who may ask for a publication, decisions on a page of
        // the supervisors' own; a redaction's page is how the publication office, which reads no cases, reaches footage.
        ["GET /publications"] = RedactedWatchers,
        ["POST /publications?handler=Withdraw"] = RedactedWatchers,
        ["GET /publications/approvals"] = Supervisors,
        ["POST /publications/approvals?handler=Approve"] = Supervisors,
        ["POST /publications/approvals?handler=Deny"] = Supervisors,
        ["GET /redactions/{id:guid}"] = RedactedWatchers,
        ["POST /redactions/{id:guid}?handler=Request"] = RedactedWatchers,

        // Approvals to view classified footage, and classification.
        ["POST /api/v1/recordings/{recordingId:guid}/view-approvals"] = Watchers,
        ["GET /api/v1/recordings/{recordingId:guid}/view-approvals"] = Watchers,
        ["GET /api/v1/view-approvals/pending"] = Supervisors,
        ["POST /api/v1/view-approvals/{approvalId:guid}/decision"] = Supervisors,
        ["GET /approvals"] = Supervisors,
        ["GET /approvals/viewing"] = Supervisors,
        ["POST /approvals/viewing?handler=Approve"] = Supervisors,
        ["POST /approvals/viewing?handler=Deny"] = Supervisors,
        ["PUT /api/v1/recordings/{recordingId:guid}/classification"] = Classifiers,

        // The access ledger.
        ["GET /ledger"] = Supervisors,
        ["GET /api/v1/ledger"] = Supervisors,
        ["GET /api/v1/ledger.csv"] = Supervisors,
        ["GET /api/v1/recordings/{recordingId:guid}/watched"] = Supervisors,

        // Evidence integrity: fixity findings, quarantined deliveries, the audit trail's last verification.
        ["GET /integrity"] = Supervisors,
        ["GET /api/v1/integrity"] = Supervisors,

        // Exports of originals: requested by those who may see originals, decided by supervisors.
        ["GET /exports"] = ExportRequesters,
        ["POST /exports"] = ExportRequesters,
        ["GET /exports/{id:guid}"] = ExportRequesters,
        ["GET /exports/approvals"] = Supervisors,
        ["POST /exports/approvals?handler=Approve"] = Supervisors,
        ["POST /exports/approvals?handler=Deny"] = Supervisors,
        ["GET /api/v1/exports/"] = ExportRequesters,
        ["POST /api/v1/exports/"] = Watchers, // a reviewer passes authorization and is refused, with the reason, by the service
        ["GET /api/v1/exports/pending"] = Supervisors,
        ["GET /api/v1/exports/{exportId:guid}"] = ExportRequesters,
        ["POST /api/v1/exports/{exportId:guid}/approve"] = Supervisors,
        ["POST /api/v1/exports/{exportId:guid}/deny"] = Supervisors,
        ["GET /api/v1/exports/{exportId:guid}/package"] = Watchers, // likewise: a requester whose role was reduced is refused on record

        // The recorder register: read by whoever reads cases, kept by supervisors and records managers.
        ["GET /recorders"] = CaseReaders,
        ["GET /recorders/{serial}"] = CaseReaders,
        ["GET /recorders/edit"] = RecorderKeepers,
        ["POST /recorders/edit?handler=Save"] = RecorderKeepers,
        ["POST /recorders/edit?handler=Assign"] = RecorderKeepers,
        ["GET /recorders/import"] = RecorderKeepers,
        ["POST /recorders/import"] = RecorderKeepers,
        ["GET /api/v1/recorders"] = CaseReaders,
        ["GET /api/v1/recorders.csv"] = CaseReaders,
        ["GET /api/v1/recorders/unregistered"] = CaseReaders,
        ["GET /api/v1/recorders/{serial}"] = CaseReaders,
        ["PUT /api/v1/recorders/{serial}"] = RecorderKeepers,
        ["POST /api/v1/recorders/{serial}/assignments"] = RecorderKeepers,
        ["POST /api/v1/recorders/import"] = RecorderKeepers,

        // Statistics (统计分析): supervisors and the legal office; the figures about people only to ledger readers, by the service.
        ["GET /statistics"] = StatisticsReaders,
        ["GET /statistics/rows"] = StatisticsReaders,
        ["GET /api/v1/statistics"] = StatisticsReaders,
        ["GET /api/v1/statistics/rows"] = StatisticsReaders,

        // Records management.
        ["GET /retention"] = RecordsManagers,
        ["GET /retention/recordings/{id:guid}"] = RecordsManagers,
        ["POST /retention/recordings/{id:guid}?handler=Hold"] = RecordsManagers,
        ["POST /retention/recordings/{id:guid}?handler=Release"] = RecordsManagers,
        ["POST /retention/recordings/{id:guid}?handler=Extend"] = RecordsManagers,
        ["GET /retention/disposition"] = RecordsManagers,
        ["POST /retention/disposition?handler=Refresh"] = RecordsManagers,
        ["POST /retention/disposition?handler=Propose"] = RecordsManagers,
        ["POST /retention/disposition?handler=Approve"] = RecordsManagers,
        ["POST /retention/disposition?handler=Refuse"] = RecordsManagers,
        ["GET /retention/register"] = RecordsManagers,
        ["GET /retention/reconcile"] = RecordsManagers,
        ["POST /retention/reconcile"] = RecordsManagers,
        ["GET /api/v1/retention/recordings/{recordingId:guid}"] = RecordsManagers,
        ["GET /api/v1/retention/holds"] = RecordsManagers,
        ["POST /api/v1/retention/recordings/{recordingId:guid}/holds"] = RecordsManagers,
        ["POST /api/v1/retention/holds/{holdId:guid}/release"] = RecordsManagers,
        ["POST /api/v1/retention/recordings/{recordingId:guid}/extend"] = RecordsManagers,
        ["GET /api/v1/retention/disposition"] = RecordsManagers,
        ["POST /api/v1/retention/disposition/refresh"] = RecordsManagers,
        ["POST /api/v1/retention/disposition/{recordingId:guid}/proposal"] = RecordsManagers,
        ["POST /api/v1/retention/disposition/proposals/{entryId:guid}/approve"] = RecordsManagers,
        ["POST /api/v1/retention/disposition/proposals/{entryId:guid}/refuse"] = RecordsManagers,
        ["GET /api/v1/retention/destruction-register"] = RecordsManagers,
        ["GET /api/v1/retention/destruction-register.csv"] = RecordsManagers,
        ["POST /api/v1/retention/reconcile"] = RecordsManagers,
    };

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public void Every_route_of_the_player_is_classified()
    {
        var routes = Routes();
        var unclassified = routes.Where(r => !Access.ContainsKey(r)).ToList();
        var stale = Access.Keys.Where(k => !routes.Contains(k)).ToList();

        Assert.True(unclassified.Count == 0, "Routes no one classified (add each to Access):\n" + string.Join('\n', unclassified));
        Assert.True(stale.Count == 0, "Classified routes the app no longer has:\n" + string.Join('\n', stale));
    }

    [Theory]
    [InlineData(Anonymous)]
    [InlineData(Roles.Reviewer)]
    [InlineData(Roles.LegalReviewer)]
    [InlineData(Roles.Supervisor)]
    [InlineData(Roles.RecordsManager)]
    [InlineData(Roles.Publisher)]
    [InlineData(Roles.Admin)]
    public async Task Each_route_refuses_exactly_the_callers_its_classification_leaves_out(string role)
    {
        var failures = new List<string>();
        foreach (var route in Routes().Where(Access.ContainsKey))
        {
            var client = await ClientAsync(role);
            var response = await SendAsync(client, route);
            var refused = IsRefusal(response, role);
            if (refused == Access[route].Contains(role))
            {
                failures.Add($"{route} as {role}: {(int)response.StatusCode} {response.Headers.Location} — expected {(refused ? "to be let through" : "a refusal")}");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    /// <summary>The routes as <c>METHOD /pattern[?handler=Name]</c>, from the running app.</summary>
    private List<string> Routes()
    {
        var routes = new SortedSet<string>(StringComparer.Ordinal);
        var pageModels = PageModels();
        foreach (var endpoint in app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            if (endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Mvc.RazorPages.PageActionDescriptor>() is { } page)
            {
                foreach (var (method, handler) in Handlers(pageModels[page.RelativePath]))
                {
                    routes.Add(handler is null ? $"{method} {pattern}" : $"{method} {pattern}?handler={handler}");
                }

                continue;
            }

            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"];
            foreach (var method in methods)
            {
                routes.Add($"{method} {pattern}");
            }
        }

        return [.. routes];
    }

    /// <summary>Each Razor page's model type by the page's path (<c>/Accounts/Login.cshtml</c>), from the compiled pages.</summary>
    private static Dictionary<string, Type> PageModels() =>
        typeof(LoginModel).Assembly.GetCustomAttributes<RazorCompiledItemAttribute>()
            .Where(item => item.Kind == "mvc.1.0.razor-page")
            .ToDictionary(item => item.Identifier, item => item.Type.GetProperty("Model")!.PropertyType, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// A page model's handlers: <c>OnPostIssueTokenAsync</c> is (POST, IssueToken), <c>OnGet</c> (GET, none);
    /// a page without handlers (no model of its own) answers GET.
    /// </summary>
    private static List<(string Method, string? Handler)> Handlers(Type model)
    {
        var handlers = model.GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Select(m => HandlerName().Match(m.Name))
            .Where(m => m.Success)
            .Select(m => (m.Groups["method"].Value.ToUpperInvariant(), m.Groups["handler"].Value is { Length: > 0 } h ? h : null))
            .Distinct()
            .ToList();
        return handlers.Count > 0 ? handlers : [("GET", null)];
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string route)
    {
        var (method, target) = (route[..route.IndexOf(' ', StringComparison.Ordinal)], route[(route.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
        var path = RouteValue().Replace(target, match => match.Groups["name"].Value switch
        {
            "sha256" => new string('a', 64),
            "culture" => "en",
            _ => match.Value.Contains(":guid", StringComparison.Ordinal) || !match.Value.Contains(':', StringComparison.Ordinal) ? Guid.NewGuid().ToString() : "x",
        });
        using var request = new HttpRequestMessage(new HttpMethod(method == "*" ? "GET" : method), path);
        if (method is "POST" or "PUT" or "PATCH" or "DELETE")
        {
            request.Content = path.StartsWith("/api/", StringComparison.Ordinal) ? JsonContent.Create(new { }) : new FormUrlEncodedContent([]);
        }

        return await client.SendAsync(request, Token);
    }

    /// <summary>
    /// What authorization answers a caller it turns away: an API 401 to a stranger and 403 to a user; a page
    /// a redirect to the sign-in page or to "denied".
    /// </summary>
    private static bool IsRefusal(HttpResponseMessage response, string role)
    {
        var location = response.Headers.Location is { } l ? (l.IsAbsoluteUri ? l.PathAndQuery : l.OriginalString) : string.Empty;
        var api = response.RequestMessage!.RequestUri!.AbsolutePath.StartsWith("/api/", StringComparison.Ordinal);
        return role == Anonymous
            ? response.StatusCode == HttpStatusCode.Unauthorized || location.StartsWith("/accounts/login", StringComparison.Ordinal)
            : (api && response.StatusCode == HttpStatusCode.Forbidden) || location.StartsWith("/accounts/denied", StringComparison.Ordinal);
    }

    private async Task<HttpClient> ClientAsync(string role)
    {
        if (role == Anonymous)
        {
            return app.NewClient();
        }

        var (client, _) = await app.SignedInAsync([role]);
        return client;
    }

    [GeneratedRegex("^On(?<method>Get|Post|Put|Delete|Patch)(?<handler>[A-Za-z]*?)(?:Async)?$")]
    private static partial Regex HandlerName();

    [GeneratedRegex(@"\{(?<name>[A-Za-z]+)(:[^}]*)?\}")]
    private static partial Regex RouteValue();
}
