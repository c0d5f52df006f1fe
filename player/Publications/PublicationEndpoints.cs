using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Player.Refusals;
using Enforcement.Media.Player.Visibility;
using Enforcement.Media.Storage.Publications;

namespace Enforcement.Media.Player.Publications;

/// <summary>
/// The publication API (公示): ask for a rendered redaction to be published, decide (supervisors, never
/// on their own request), withdraw, read. The public address itself is <see cref="PublicEndpoints"/>.
/// </summary>
public static class PublicationEndpoints
{
    public const int MaxListed = 200;

    public static IEndpointRouteBuilder MapPublicationEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1").AddEndpointFilter<RefusedProblemFilter>();

        api.MapPost("/redactions/{redactionId:guid}/publications", async (Guid redactionId, NewPublication body, PublicationService publications, HttpContext context, CancellationToken cancellationToken) =>
            {
                var publication = await publications.RequestAsync(Viewer.Of(context.User), redactionId, body, cancellationToken);
                return TypedResults.Created($"/api/v1/publications/{publication.Id}", View(publication));
            })
            .RequireAuthorization(PlayerPolicies.Publish)
            .AddEndpointFilter<AntiforgeryFilter>();

        api.MapGet("/publications", async (string? state, PublicationStore store, HttpContext context, CancellationToken cancellationToken) =>
            {
                var list = await store.ListAsync(RecordingVisibility.For(Viewer.Of(context.User)), string.IsNullOrWhiteSpace(state) ? null : state.Trim(), MaxListed, cancellationToken);
                return TypedResults.Ok(list.Select(View));
            })
            .RequireAuthorization(PlayerPolicies.WatchRedacted);

        api.MapGet("/publications/{publicationId:guid}", async (Guid publicationId, PublicationService publications, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(View(await publications.ViewAsync(Viewer.Of(context.User), publicationId, cancellationToken))))
            .RequireAuthorization(PlayerPolicies.WatchRedacted);

        api.MapPost("/publications/{publicationId:guid}/decision", async (Guid publicationId, PublicationDecision body, PublicationService publications, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(View(await publications.DecideAsync(Viewer.Of(context.User), publicationId, body, cancellationToken))))
            .RequireAuthorization(PlayerPolicies.Approve)
            .AddEndpointFilter<AntiforgeryFilter>();

        api.MapPost("/publications/{publicationId:guid}/withdrawal", async (Guid publicationId, PublicationWithdrawal body, PublicationService publications, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(View(await publications.WithdrawAsync(Viewer.Of(context.User), publicationId, body, cancellationToken))))
            .RequireAuthorization(PlayerPolicies.Publish)
            .AddEndpointFilter<AntiforgeryFilter>();

        return endpoints;
    }

    /// <summary>The API's shape of a publication: no user ids, the public path once there is one.</summary>
    public static object View(PublicationRecord p) => new
    {
        publicationId = p.Id,
        redactionId = p.RedactionId,
        recordingId = p.RecordingId,
        p.Title,
        p.Body,
        p.Watermark,
        requestedBy = p.RequestedByActor,
        p.RequestedAt,
        p.RenderState,
        p.RenderFailure,
        p.State,
        decidedBy = p.DecidedByActor,
        p.DecidedAt,
        p.DecisionReason,
        publicPath = p.PublicPath,
        p.ExpiresAt,
        withdrawnBy = p.WithdrawnByActor,
        p.WithdrawnAt,
        p.WithdrawalReason,
        p.ViewCount,
    };
}
