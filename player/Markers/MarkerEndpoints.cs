using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Player.Recordings;
using Enforcement.Media.Player.Refusals;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Enforcement.Media.Player.Markers;

/// <summary>
/// <c>/api/v1/recordings/{id}/markers</c>: list (anyone who may read cases and see the recording) and add
/// (those who watch footage). A recording the user may not see is answered 404, like one that does not exist.
/// Cookie calls carry the antiforgery header; bearer calls need none.
/// </summary>
public static class MarkerEndpoints
{
    public static IEndpointRouteBuilder MapMarkerEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1/recordings/{recordingId:guid}/markers");

        api.MapGet("/", async Task<Results<Ok<IReadOnlyList<Marker>>, NotFound>> (
                Guid recordingId, RecordingAccess visibility, MarkerStore markers, HttpContext context, CancellationToken cancellationToken) =>
            await visibility.MaySeeAsync(context.User, recordingId, cancellationToken)
                ? TypedResults.Ok(await markers.OfRecordingAsync(recordingId, cancellationToken))
                : TypedResults.NotFound())
            .RequireAuthorization(PlayerPolicies.ReadCases);

        // Bad input (MarkerInputException) is answered by RefusedProblemFilter: 400 naming the field.
        api.MapPost("/", async Task<Results<Created<Marker>, NotFound>> (
                Guid recordingId, NewMarker body, MarkerService service, HttpContext context, CancellationToken cancellationToken) =>
            await service.AddAsync(context.User, recordingId, body, cancellationToken) is { } marker
                ? TypedResults.Created($"/api/v1/recordings/{recordingId}/markers/{marker.Id}", marker)
                : TypedResults.NotFound())
            .RequireAuthorization(PlayerPolicies.Watch)
            .AddEndpointFilter<AntiforgeryFilter>()
            .AddEndpointFilter<RefusedProblemFilter>();
        return endpoints;
    }
}
