using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Player.Display;
using Enforcement.Media.Player.Refusals;
using Enforcement.Media.Player.Visibility;

namespace Enforcement.Media.Player.Recordings;

/// <summary>
/// <c>GET /api/v1/recordings?officer=&amp;recorder=&amp;unit=&amp;from=&amp;to=&amp;linked=&amp;state=&amp;q=&amp;page=&amp;pageSize=</c>:
/// the recording search for whoever reads cases, over the footage they may see. Bad input
/// (<see cref="RecordingSearchRefusedException"/>) is answered by <see cref="RefusedProblemFilter"/>: 400 naming the parameter.
/// </summary>
public static class RecordingSearchEndpoints
{
    public static IEndpointRouteBuilder MapRecordingSearchEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/v1/recordings", async ([AsParameters] RecordingSearchInput input, RecordingSearch search, LocalClock clock, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(await search.FindAsync(Viewer.Of(context.User), RecordingFilter.Parse(input, clock), cancellationToken)))
            .RequireAuthorization(PlayerPolicies.ReadCases)
            .AddEndpointFilter<RefusedProblemFilter>();
        return endpoints;
    }
}
