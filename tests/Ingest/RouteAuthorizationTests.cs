using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Enforcement.Media.Storage.Cases;
using Enforcement.Media.Storage.Stations;
using Enforcement.Media.Tests.Ingest.Uploads;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace Enforcement.Media.Tests.Ingest;

/// <summary>
/// Who may call what on the ingest web app (<c>ingest run</c>), route by route. The routes come from
/// the app's own endpoint data source, so a route added without a line in <see cref="Routes"/> fails
/// here; every route is then called anonymously and with a key of each kind, with a harmless,
/// well-formed request (a refusal must come from the authorisation, not from a malformed request).
/// </summary>
public sealed class RouteAuthorizationTests(UploadServerFixture fixture) : IClassFixture<UploadServerFixture>
{
    /// <summary>Route parameters get fresh values: nothing of anyone's is named.</summary>
    private static readonly Dictionary<string, Func<string>> ParameterValues = new(StringComparer.Ordinal)
    {
        ["id"] = () => Guid.NewGuid().ToString("N"),
        ["sha256"] = () => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
        ["caseNumber"] = () => $"WALK-{Guid.NewGuid():N}"[..20],
    };

    /// <summary>
    /// Every route of the ingest app: who may call it, and a request it would accept. Health and tus
    /// discovery are public; uploads are for stations and devices; receipts by content for stations;
    /// cases and the officer registry for the case system.
    /// </summary>
    private static readonly Dictionary<string, Route> Routes = new(StringComparer.Ordinal)
    {
        ["* /health"] = new(Callers.Anyone),
        ["OPTIONS /api/v1/uploads"] = new(Callers.Anyone),
        ["POST /api/v1/uploads/"] = new(Callers.Station | Callers.Device, r => r.Headers.Add("Upload-Length", "1")),
        ["HEAD /api/v1/uploads/{id}"] = new(Callers.Station | Callers.Device),
        ["PATCH /api/v1/uploads/{id}"] = new(Callers.Station | Callers.Device, r =>
        {
            r.Headers.Add("Upload-Offset", "0");
            r.Content = new ByteArrayContent([]) { Headers = { ContentType = new MediaTypeHeaderValue("application/offset+octet-stream") } };
        }),
        ["DELETE /api/v1/uploads/{id}"] = new(Callers.Station | Callers.Device),
        ["GET /api/v1/uploads/{id}/receipt"] = new(Callers.Station | Callers.Device),
        ["GET /api/v1/receipts/{sha256}"] = new(Callers.Station),
        ["PUT /api/v1/cases/{caseNumber}"] = new(Callers.CaseSystem, r => r.Content = JsonContent.Create(new
        {
            unitCode = "330100",
            status = "open",
            openedAt = "2026-11-20T09:00:00+08:00",
            flags = Array.Empty<string>(),
            activities = Array.Empty<object>(),
        })),
        ["GET /api/v1/cases/{caseNumber}"] = new(Callers.CaseSystem),
        ["GET /api/v1/cases/{caseNumber}/completeness"] = new(Callers.CaseSystem),
        ["POST /api/v1/cases/import"] = new(Callers.CaseSystem, r => r.Content = new StringContent(string.Join(',', CaseCsvImport.Columns) + "\n", Encoding.UTF8, "text/csv")),
        ["PUT /api/v1/officers"] = new(Callers.CaseSystem, r => r.Content = JsonContent.Create(Array.Empty<object>())),
    };

    [Flags]
    private enum Callers
    {
        Anonymous = 1,
        Station = 2,
        Device = 4,
        CaseSystem = 8,
        Anyone = Anonymous | Station | Device | CaseSystem,
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_route_answers_exactly_the_callers_its_classification_allows_and_refuses_the_others()
    {
        var routes = fixture.Server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(method => (Method: method, Endpoint: e)))
            .ToList();
        var keys = routes.Select(r => $"{r.Method} {r.Endpoint.RoutePattern.RawText}").ToList();
        Assert.True(keys.All(Routes.ContainsKey), $"Routes nobody classified (add each to {nameof(Routes)}, saying who may call it): {string.Join(", ", keys.Where(k => !Routes.ContainsKey(k)))}");
        Assert.True(Routes.Keys.All(keys.Contains), $"Classified routes the app no longer has: {string.Join(", ", Routes.Keys.Where(k => !keys.Contains(k)))}");

        var callers = new Dictionary<Callers, HttpClient>
        {
            [Callers.Anonymous] = fixture.Server.Client(null),
            [Callers.Station] = fixture.Server.Client((await fixture.CreateKeyAsync(ApiKeyKind.Station, "DOCK-WALK")).Token),
            [Callers.Device] = fixture.Server.Client((await fixture.CreateKeyAsync(ApiKeyKind.Device)).Token),
            [Callers.CaseSystem] = fixture.Server.Client((await fixture.CreateKeyAsync(ApiKeyKind.CaseSystem)).Token),
        };
        var wrong = new List<string>();
        foreach (var (method, endpoint) in routes)
        {
            var key = $"{method} {endpoint.RoutePattern.RawText}";
            foreach (var (caller, client) in callers)
            {
                var status = await CallAsync(client, method, endpoint.RoutePattern, Routes[key]);
                var allowed = Routes[key].Allowed.HasFlag(caller);
                var expected = allowed ? "allowed (not 401 or 403)" : caller == Callers.Anonymous ? "401" : "403";
                var right = allowed
                    ? status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                    : status == (caller == Callers.Anonymous ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden);
                if (!right)
                {
                    wrong.Add($"{key} as {caller}: {(int)status}, expected {expected}");
                }
            }
        }

        foreach (var client in callers.Values)
        {
            client.Dispose();
        }

        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
    }

    private static async Task<HttpStatusCode> CallAsync(HttpClient client, string method, RoutePattern pattern, Route route)
    {
        var path = pattern.RawText!;
        foreach (var parameter in pattern.Parameters)
        {
            var value = ParameterValues.TryGetValue(parameter.Name, out var fresh)
                ? fresh()
                : throw new InvalidOperationException($"No value for the route parameter {{{parameter.Name}}} of {pattern.RawText}: add one to {nameof(ParameterValues)}.");
            path = path.Replace($"{{{parameter.Name}}}", Uri.EscapeDataString(value), StringComparison.Ordinal);
        }

        using var request = new HttpRequestMessage(new HttpMethod(method == "*" ? "GET" : method), path);
        route.Prepare?.Invoke(request);
        using var response = await client.SendAsync(request, Token);
        return response.StatusCode;
    }

    /// <summary>Who may call a route, and what makes a request to it well-formed (beyond Tus-Resumable, which every request carries).</summary>
    private sealed record Route(Callers Allowed, Action<HttpRequestMessage>? Prepare = null);
}
