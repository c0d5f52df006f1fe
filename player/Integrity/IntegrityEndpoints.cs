using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Player.Visibility;

namespace Enforcement.Media.Player.Integrity;

/// <summary>
/// <c>GET /api/v1/integrity</c>: the integrity page's report for supervisors, as JSON (ISO 8601 instants), for a
/// monitoring system to poll.
/// </summary>
public static class IntegrityEndpoints
{
    public static IEndpointRouteBuilder MapIntegrityEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/v1/integrity", async (IntegrityQueries integrity, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(await integrity.ReportAsync(Viewer.Of(context.User), cancellationToken)))
            .RequireAuthorization(PlayerPolicies.ReadIntegrity);
        return endpoints;
    }
}
