using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Player.Refusals;
using Enforcement.Media.Player.Visibility;
using Enforcement.Media.Storage.Hosting;
using Enforcement.Media.Storage.Redactions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Enforcement.Media.Player.Redactions;

/// <summary>
/// The redaction API: reviewers who may watch a recording draw what to hide, save drafts, queue the
/// render; anyone who may see the recording (the publication office included) reads a redaction's state,
/// output and provenance. Bearer tokens, or the browser session with its antiforgery header on every write.
/// </summary>
public static class RedactionEndpoints
{
    public static IEndpointRouteBuilder MapRedactionEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1").AddEndpointFilter<RefusedProblemFilter>();

        api.MapPost("/recordings/{recordingId:guid}/redactions", async (Guid recordingId, NewRedaction body, RedactionService redactions, HttpContext context, CancellationToken cancellationToken) =>
            {
                var created = await redactions.CreateAsync(Viewer.Of(context.User), recordingId, body, cancellationToken);
                context.SetRecording(recordingId);
                var location = $"/api/v1/redactions/{created.Id}";
                return created.State == RedactionState.Draft
                    ? Results.Created(location, new { redactionId = created.Id, state = created.State })
                    : Results.Accepted(location, new { redactionId = created.Id, state = created.State });
            })
            .RequireAuthorization(PlayerPolicies.Watch)
            .AddEndpointFilter<AntiforgeryFilter>();

        api.MapGet("/recordings/{recordingId:guid}/redactions", async (Guid recordingId, RedactionService redactions, HttpContext context, CancellationToken cancellationToken) =>
            {
                var list = await redactions.ListAsync(Viewer.Of(context.User), recordingId, cancellationToken);
                return TypedResults.Ok(list.Select(r => new
                {
                    redactionId = r.Id,
                    r.State,
                    r.Reason,
                    createdBy = r.CreatedByActor,
                    r.CreatedAt,
                    r.FinishedAt,
                    r.Failure,
                    output = r.Output is { } o ? new { o.Sha256, o.Size, o.ContentType } : null,
                }));
            })
            .RequireAuthorization(PlayerPolicies.WatchRedacted);

        const string one = "/redactions/{redactionId:guid}";
        api.MapGet(one, async (Guid redactionId, RedactionService redactions, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(await redactions.ViewAsync(Viewer.Of(context.User), redactionId, cancellationToken)))
            .RequireAuthorization(PlayerPolicies.WatchRedacted);

        api.MapPut(one, async (Guid redactionId, NewRedaction body, RedactionService redactions, HttpContext context, CancellationToken cancellationToken) =>
            {
                var updated = await redactions.UpdateDraftAsync(Viewer.Of(context.User), redactionId, body, cancellationToken);
                return TypedResults.Ok(new { redactionId = updated.Id, state = updated.State });
            })
            .RequireAuthorization(PlayerPolicies.Watch)
            .AddEndpointFilter<AntiforgeryFilter>();

        api.MapPost(one + "/render", async (Guid redactionId, RedactionService redactions, HttpContext context, CancellationToken cancellationToken) =>
            {
                var queued = await redactions.QueueAsync(Viewer.Of(context.User), redactionId, cancellationToken);
                return TypedResults.Accepted($"/api/v1/redactions/{queued.Id}", new { redactionId = queued.Id, state = queued.State });
            })
            .RequireAuthorization(PlayerPolicies.Watch)
            .AddEndpointFilter<AntiforgeryFilter>();

        api.MapDelete(one, async (Guid redactionId, RedactionService redactions, HttpContext context, CancellationToken cancellationToken) =>
            {
                await redactions.DiscardDraftAsync(Viewer.Of(context.User), redactionId, cancellationToken);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(PlayerPolicies.Watch)
            .AddEndpointFilter<AntiforgeryFilter>();

        api.MapPost("/recordings/{recordingId:guid}/suggestion-runs", async (Guid recordingId, RedactionService redactions, HttpContext context, CancellationToken cancellationToken) =>
            {
                var request = await redactions.RequestSuggestionsAsync(Viewer.Of(context.User), recordingId, cancellationToken);
                return TypedResults.Accepted($"/api/v1/suggestion-runs/{request.Run.Id}", new { runId = request.Run.Id, state = request.Run.State, created = request.Created });
            })
            .RequireAuthorization(PlayerPolicies.Watch)
            .AddEndpointFilter<AntiforgeryFilter>();

        api.MapGet("/suggestion-runs/{runId:guid}", async (Guid runId, RedactionService redactions, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(SuggestionRunBody.Of(await redactions.SuggestionRunAsync(Viewer.Of(context.User), runId, cancellationToken))))
            .RequireAuthorization(PlayerPolicies.Watch);

        // The editor asks for this when it opens: suggestions found for an earlier visit are still to be decided.
        api.MapGet("/recordings/{recordingId:guid}/suggestion-runs/latest", async Task<Results<Ok<SuggestionRunBody>, NotFound>> (Guid recordingId, RedactionService redactions, HttpContext context, CancellationToken cancellationToken) =>
                await redactions.LatestSuggestionRunAsync(Viewer.Of(context.User), recordingId, cancellationToken) is { } run
                    ? TypedResults.Ok(SuggestionRunBody.Of(run))
                    : TypedResults.NotFound())
            .RequireAuthorization(PlayerPolicies.Watch);

        api.MapPost("/redaction-suggestions/{suggestionId:guid}/decision", async (Guid suggestionId, SuggestionDecisionBody body, RedactionService redactions, HttpContext context, CancellationToken cancellationToken) =>
            {
                await redactions.DecideSuggestionAsync(Viewer.Of(context.User), suggestionId, body.Decision, cancellationToken);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(PlayerPolicies.Watch)
            .AddEndpointFilter<AntiforgeryFilter>();

        return endpoints;
    }
}

/// <summary>The body of <c>POST /api/v1/redaction-suggestions/{id}/decision</c>: <c>accepted</c> or <c>rejected</c>.</summary>
public sealed record SuggestionDecisionBody(string? Decision);
