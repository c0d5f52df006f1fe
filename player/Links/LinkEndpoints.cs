using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Player.Recordings;
using Enforcement.Media.Player.Refusals;
using Enforcement.Media.Player.Visibility;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Enforcement.Media.Player.Links;

/// <summary>
/// <c>/api/v1/recordings/{id}/links</c>: a recording's case links — read by whoever reads cases, made and
/// removed by hand, each with a reason, by the reviewers who watch footage (<see cref="PlayerPolicies.LinkRecordings"/>).
/// A recording or case the user may not see is answered 404, like one that does not exist; bad input is a 400
/// naming the field. Bearer tokens, or the browser session with its antiforgery header on every change.
/// </summary>
public static class LinkEndpoints
{
    public static IEndpointRouteBuilder MapLinkEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1/recordings/{recordingId:guid}/links").AddEndpointFilter<RefusedProblemFilter>();

        api.MapGet(string.Empty, async (Guid recordingId, RecordingLinkService links, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(new { items = await links.LinksAsync(Viewer.Of(context.User), recordingId, cancellationToken) }))
            .RequireAuthorization(PlayerPolicies.ReadCases);

        // The same link twice is the one already there (200), never a second one.
        api.MapPost(string.Empty, async Task<Results<Created<RecordingLink>, Ok<RecordingLink>>> (
                Guid recordingId, NewLink body, RecordingLinkService links, HttpContext context, CancellationToken cancellationToken) =>
            {
                var (link, created) = await links.LinkAsync(Viewer.Of(context.User), recordingId, body, cancellationToken);
                return created ? TypedResults.Created($"/api/v1/recordings/{recordingId}/links/{link.LinkId}", link) : TypedResults.Ok(link);
            })
            .RequireAuthorization(PlayerPolicies.LinkRecordings)
            .AddEndpointFilter<AntiforgeryFilter>();

        // The reason comes in the body; a missing body is a missing reason (400 naming it), not a binding error.
        api.MapDelete("/{linkId:guid}", async (Guid recordingId, Guid linkId, [FromBody] Unlink? body, RecordingLinkService links, HttpContext context, CancellationToken cancellationToken) =>
            {
                await links.UnlinkAsync(Viewer.Of(context.User), recordingId, linkId, body?.Reason, cancellationToken);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(PlayerPolicies.LinkRecordings)
            .AddEndpointFilter<AntiforgeryFilter>();

        return endpoints;
    }
}
