using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Player.Refusals;
using Enforcement.Media.Storage.Hosting;
using Enforcement.Media.Storage.Retention;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Enforcement.Media.Player.Retention;

/// <summary>
/// <c>/api/v1/retention/…</c>: the records managers' API — bearer tokens, or the browser
/// session with its antiforgery token on every POST. Ids are typed route values, so anything that is not a
/// UUID (a path, <c>../</c>) never reaches a handler.
/// </summary>
public static class RetentionEndpoints
{
    public static IEndpointRouteBuilder MapRetentionEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1/retention").RequireAuthorization(PlayerPolicies.ManageRetention)
            .WithMetadata(new MalformedBodyStatus(StatusCodes.Status422UnprocessableEntity)); // all bad input here is a 422, a body that does not parse too

        api.MapGet("/recordings/{recordingId:guid}", async Task<Results<Ok<RecordingRetention>, NotFound>> (Guid recordingId, RetentionViews views, CancellationToken cancellationToken) =>
            await views.ViewAsync(recordingId, cancellationToken) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound());

        api.MapGet("/holds", async (RetentionQueries queries, CancellationToken cancellationToken) =>
            TypedResults.Ok(await queries.HoldsAsync(null, cancellationToken)));

        var changes = api.MapGroup(string.Empty).AddEndpointFilter<AntiforgeryFilter>().AddEndpointFilter<RefusedProblemFilter>();

        changes.MapPost("/recordings/{recordingId:guid}/holds", async Task<Results<Created<PlacedHold>, NotFound>> (Guid recordingId, ReasonBody body, RetentionDesk desk, HttpContext context, CancellationToken cancellationToken) =>
            await desk.PlaceHoldAsync(recordingId, body.Reason, context.User.Actor(), cancellationToken) is { } holdId
                ? TypedResults.Created($"/api/v1/retention/recordings/{recordingId}", new PlacedHold(holdId, recordingId))
                : TypedResults.NotFound());

        changes.MapPost("/holds/{holdId:guid}/release", async Task<Results<NoContent, NotFound>> (Guid holdId, ReasonBody body, RetentionDesk desk, HttpContext context, CancellationToken cancellationToken) =>
            await desk.ReleaseHoldAsync(holdId, body.Reason, context.User.Actor(), cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound());

        changes.MapPost("/recordings/{recordingId:guid}/extend", async Task<Results<Ok<RetentionOutcome>, NotFound, ProblemHttpResult>> (Guid recordingId, ExtendBody body, RetentionDesk desk, HttpContext context, CancellationToken cancellationToken) =>
        {
            try
            {
                return await desk.ExtendAsync(recordingId, body.RetainUntil, body.Reason, context.User.Actor(), cancellationToken) is { } outcome
                    ? TypedResults.Ok(outcome)
                    : TypedResults.NotFound();
            }
            catch (RetentionShorteningException ex)
            {
                // Refused and audited by the enforcer: a period is never shortened.
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Retention is never shortened.", detail: ex.Message);
            }
        });

        api.MapGet("/disposition", async (RetentionDesk desk, CancellationToken cancellationToken) => TypedResults.Ok(await desk.PendingAsync(cancellationToken)));

        changes.MapPost("/disposition/refresh", async (RetentionDesk desk, CancellationToken cancellationToken) =>
            TypedResults.Ok(new { added = await desk.RefreshQueueAsync(cancellationToken) }));

        // Two records managers: one proposes, a second — never the proposer — approves (which disposes) or refuses.
        changes.MapPost("/disposition/{recordingId:guid}/proposal", async Task<Results<Created<DispositionResult>, Conflict<DispositionResult>, NotFound>> (Guid recordingId, ReasonBody body, RetentionDesk desk, HttpContext context, CancellationToken cancellationToken) =>
            await desk.ProposeAsync(recordingId, body.Reason, context.User.Actor(), cancellationToken) switch
            {
                null => TypedResults.NotFound(),
                { Outcome: "proposed" } proposed => TypedResults.Created($"/api/v1/retention/disposition/proposals/{proposed.EntryId}", proposed),
                var refused => TypedResults.Conflict(refused),
            });

        changes.MapPost("/disposition/proposals/{entryId:guid}/approve", async Task<Results<Ok<DispositionResult>, Conflict<DispositionResult>, NotFound>> (Guid entryId, ReasonBody body, RetentionDesk desk, HttpContext context, CancellationToken cancellationToken) =>
            await desk.ApproveAsync(entryId, body.Reason, context.User.Actor(), cancellationToken) switch
            {
                null => TypedResults.NotFound(),
                { Outcome: "disposed" } disposed => TypedResults.Ok(disposed),
                var refused => TypedResults.Conflict(refused),
            });

        changes.MapPost("/disposition/proposals/{entryId:guid}/refuse", async Task<Results<Ok<DispositionResult>, NotFound>> (Guid entryId, ReasonBody body, RetentionDesk desk, HttpContext context, CancellationToken cancellationToken) =>
            await desk.RefuseAsync(entryId, body.Reason, context.User.Actor(), cancellationToken) is { } refused ? TypedResults.Ok(refused) : TypedResults.NotFound());

        changes.MapPost("/reconcile", async (RetentionDesk desk, HttpContext context, CancellationToken cancellationToken) =>
            TypedResults.Ok(await desk.ReconcileAsync(context.User.Actor(), cancellationToken)));

        return endpoints;
    }
}
