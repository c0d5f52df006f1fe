using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Player.Approvals;
using Enforcement.Media.Player.Ledger;
using Enforcement.Media.Player.Refusals;
using Enforcement.Media.Player.Visibility;
using Enforcement.Media.Storage.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Enforcement.Media.Player.Playback;

/// <summary>
/// The viewing API: sessions and their stream, heartbeats and end, approvals to view
/// classified footage, classification, and the access ledger. Bearer tokens, or the browser session with
/// its antiforgery header on every POST/PUT. Ids are typed route values: anything that is not a UUID
/// (<c>../</c> included) is a 404 before any handler runs.
/// </summary>
public static class PlaybackEndpoints
{
    public static IEndpointRouteBuilder MapPlaybackEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1").AddEndpointFilter<RefusedProblemFilter>().AddEndpointFilter<PlaybackProblemFilter>();

        api.MapPost("/recordings/{recordingId:guid}/sessions", async (Guid recordingId, NewSession body, PlaybackService playback, IAuthorizationService authorization, HttpContext context, CancellationToken cancellationToken) =>
            {
                var access = (await authorization.AuthorizeAsync(context.User, PlayerPolicies.ReadOriginals)).Succeeded ? FootageAccess.Originals
                    : (await authorization.AuthorizeAsync(context.User, PlayerPolicies.Watch)).Succeeded ? FootageAccess.Renditions
                    : FootageAccess.RedactedOnly;
                var started = await playback.StartAsync(
                    Viewer.Of(context.User), access, recordingId, body, ClientAddress.Of(context), context.Request.Headers.UserAgent.ToString(), cancellationToken);
                context.SetSession(started.SessionId);
                return TypedResults.Created($"/api/v1/sessions/{started.SessionId}", started);
            })
            .RequireAuthorization(PlayerPolicies.WatchRedacted)
            .AddEndpointFilter<AntiforgeryFilter>();

        // The publication office streams redacted outputs through sessions like everyone else; a session
        // serves only the object it was started for, so the group admits every role that may start one.
        var sessions = api.MapGroup("/sessions/{sessionId:guid}").RequireAuthorization(PlayerPolicies.WatchRedacted);
        sessions.MapMethods("/media", [HttpMethods.Get, HttpMethods.Head], (Guid sessionId, SessionStreamer streamer, HttpContext context, CancellationToken cancellationToken) =>
            streamer.MediaAsync(sessionId, context, cancellationToken));
        sessions.MapGet("/thumbnails.vtt", (Guid sessionId, SessionStreamer streamer, HttpContext context, CancellationToken cancellationToken) =>
            streamer.ThumbnailsAsync(sessionId, context, cancellationToken));
        sessions.MapGet("/sprite.jpg", (Guid sessionId, SessionStreamer streamer, HttpContext context, CancellationToken cancellationToken) =>
            streamer.ImageAsync(sessionId, "sprite_sheet", "sprite", context, cancellationToken));
        sessions.MapGet("/poster.jpg", (Guid sessionId, SessionStreamer streamer, HttpContext context, CancellationToken cancellationToken) =>
            streamer.ImageAsync(sessionId, "poster", "poster", context, cancellationToken));

        sessions.MapPost("/heartbeats", async (Guid sessionId, Heartbeat body, PlaybackService playback, HttpContext context, CancellationToken cancellationToken) =>
            {
                await playback.HeartbeatAsync(sessionId, Viewer.Of(context.User), body, cancellationToken);
                return TypedResults.NoContent();
            })
            .AddEndpointFilter<AntiforgeryFilter>();

        sessions.MapPost("/end", async (Guid sessionId, PlaybackService playback, HttpContext context, CancellationToken cancellationToken) =>
            {
                var how = context.Request.ContentType?.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase) == true || context.Request.ContentLength is null or 0 ? "beacon" : "page";
                await playback.EndAsync(sessionId, Viewer.Of(context.User), how, Heartbeat.FromQuery(context.Request.Query), cancellationToken);
                return TypedResults.NoContent();
            })
            .AddEndpointFilter<BeaconAntiforgeryFilter>();

        MapApprovals(api);
        LedgerEndpoints.Map(api);
        return endpoints;
    }

    private static void MapApprovals(RouteGroupBuilder api)
    {
        api.MapPost("/recordings/{recordingId:guid}/view-approvals", async (Guid recordingId, NewApproval body, ViewApprovalService approvals, HttpContext context, CancellationToken cancellationToken) =>
            {
                var id = await approvals.RequestAsync(Viewer.Of(context.User), recordingId, body.Reason, cancellationToken);
                return TypedResults.Created($"/api/v1/recordings/{recordingId}/view-approvals", new { id });
            })
            .RequireAuthorization(PlayerPolicies.Watch)
            .AddEndpointFilter<AntiforgeryFilter>();

        api.MapGet("/recordings/{recordingId:guid}/view-approvals", async (Guid recordingId, ViewApprovalStore store, HttpContext context, CancellationToken cancellationToken) =>
            TypedResults.Ok(await store.OfRequesterAsync(context.User.UserId(), recordingId, cancellationToken)))
            .RequireAuthorization(PlayerPolicies.Watch);

        api.MapGet("/view-approvals/pending", async (ViewApprovalStore store, HttpContext context, CancellationToken cancellationToken) =>
            TypedResults.Ok(await store.PendingAsync(Viewer.Of(context.User), 200, cancellationToken)))
            .RequireAuthorization(PlayerPolicies.Approve);

        api.MapPost("/view-approvals/{approvalId:guid}/decision", async (Guid approvalId, ApprovalDecision body, ViewApprovalService approvals, HttpContext context, CancellationToken cancellationToken) =>
            {
                await approvals.DecideAsync(approvalId, Viewer.Of(context.User), body.Approve, body.Reason, cancellationToken);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(PlayerPolicies.Approve)
            .AddEndpointFilter<AntiforgeryFilter>();

        api.MapPut("/recordings/{recordingId:guid}/classification", async Task<NoContent> (Guid recordingId, NewClassification body, ClassificationService classification, HttpContext context, CancellationToken cancellationToken) =>
            {
                await classification.SetAsync(recordingId, Viewer.Of(context.User), context.User.IsInRole(Roles.RecordsManager), body.Classification, body.Reason, cancellationToken);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(ApprovalPolicies.Classify)
            .AddEndpointFilter<AntiforgeryFilter>();
    }
}
