using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Player.Refusals;
using Enforcement.Media.Player.Visibility;
using Enforcement.Media.Storage.Hosting;
using Enforcement.Media.Storage.Objects;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Enforcement.Media.Player.Exports;

/// <summary>
/// <c>/api/v1/exports</c>: request (roles that may view originals, <see cref="ExportPolicies.Request"/>),
/// decide (supervisors, never on their own request), read, and the one download of the package by its
/// requester. Bearer tokens, or the browser session with its antiforgery token on every POST.
/// </summary>
public static partial class ExportEndpoints
{
    public static IEndpointRouteBuilder MapExportEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1/exports").AddEndpointFilter<RefusedProblemFilter>()
            .WithMetadata(new MalformedBodyStatus(StatusCodes.Status422UnprocessableEntity)); // all bad input here is a 422, a body that does not parse too

        // Open to every role that watches footage, so that a reviewer is told why an export is not theirs
        // to ask for (ExportService refuses them, 403 with the reason) rather than a bare 403.
        api.MapPost("/", async (NewExport body, ExportService exports, IAuthorizationService authorization, HttpContext context, CancellationToken cancellationToken) =>
            {
                var id = await exports.RequestAsync(ExportPrincipal.Of(context.User), await MayReceiveOriginalsAsync(authorization, context), body.Recordings, body.Reason, body.Recipient, cancellationToken);
                return TypedResults.Created($"/api/v1/exports/{id}", new { id });
            })
            .RequireAuthorization(PlayerPolicies.Watch)
            .AddEndpointFilter<AntiforgeryFilter>();

        api.MapGet("/", async (ExportStore store, HttpContext context, CancellationToken cancellationToken) =>
            TypedResults.Ok(await store.OfRequesterAsync(context.User.UserId(), 200, cancellationToken)))
            .RequireAuthorization(ExportPolicies.Request);

        api.MapGet("/pending", async (ExportStore store, HttpContext context, CancellationToken cancellationToken) =>
            TypedResults.Ok(await store.PendingAsync(Viewer.Of(context.User), 200, cancellationToken)))
            .RequireAuthorization(PlayerPolicies.Approve);

        api.MapGet("/{exportId:guid}", async Task<Results<Ok<ExportRequest>, NotFound>> (Guid exportId, ExportStore store, IAuthorizationService authorization, HttpContext context, CancellationToken cancellationToken) =>
            await store.FindAsync(exportId, cancellationToken) is { } request && await MaySeeAsync(request, store, context, authorization, cancellationToken)
                ? TypedResults.Ok(request)
                : TypedResults.NotFound())
            .RequireAuthorization(ExportPolicies.Request); // requesters and supervisors alike

        foreach (var (verb, approve) in new[] { ("approve", true), ("deny", false) })
        {
            api.MapPost($"/{{exportId:guid}}/{verb}", async (Guid exportId, ExportDecision body, ExportService exports, HttpContext context, CancellationToken cancellationToken) =>
                {
                    await exports.DecideAsync(exportId, ExportPrincipal.Of(context.User), approve, body.Reason, cancellationToken);
                    return TypedResults.NoContent();
                })
                .RequireAuthorization(PlayerPolicies.Approve)
                .AddEndpointFilter<AntiforgeryFilter>();
        }

        // A GET that changes state (the one download is spent) is safe from CSRF here: the session cookie is
        // SameSite=Strict, so another site cannot make a browser send it. Open to every role that watches, so
        // that a requester whose role no longer allows originals is refused by ExportService, with the reason
        // and on record, like every other refused download.
        api.MapGet("/{exportId:guid}/package", DownloadAsync).RequireAuthorization(PlayerPolicies.Watch);
        return endpoints;
    }

    /// <summary>Whether the user holds, now, a role that may view originals: only such a user may ask for an export or receive one.</summary>
    public static async Task<bool> MayReceiveOriginalsAsync(IAuthorizationService authorization, HttpContext context) =>
        (await authorization.AuthorizeAsync(context.User, ExportPolicies.Request)).Succeeded;

    /// <summary>The requester, or a supervisor (who decides on exports and keeps their register) whose scope covers its recordings.</summary>
    public static async Task<bool> MaySeeAsync(ExportRequest request, ExportStore store, HttpContext context, IAuthorizationService authorization, CancellationToken cancellationToken) =>
        request.RequestedBy == context.User.UserId()
        || ((await authorization.AuthorizeAsync(context.User, PlayerPolicies.Approve)).Succeeded
            && await store.FindInScopeAsync(request.Id, Viewer.Of(context.User), cancellationToken) is not null);

    private static async Task DownloadAsync(Guid exportId, ExportService exports, IEvidenceStore store, IAuthorizationService authorization, HttpContext context, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var taker = ExportPrincipal.Of(context.User);
        var package = await exports.TakeDownloadAsync(exportId, taker, await MayReceiveOriginalsAsync(authorization, context), ClientAddress.Of(context), cancellationToken);
        var response = context.Response;
        response.ContentType = "application/zip";
        response.ContentLength = package.Size;
        response.Headers.ContentDisposition = $"attachment; filename=\"{PackagePaths.Folder(exportId)}.zip\"";
        response.Headers.CacheControl = "no-store";
        response.Headers["X-Content-SHA256"] = package.Sha256;
        var sent = 0L;
        try
        {
            await using var source = await store.OpenReadAsync(package.Location, null, cancellationToken);
            var buffer = new byte[1 << 20];
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await response.Body.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                sent += read;
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectNotFoundException)
        {
            // The one download is spent either way; what reached the requester is on record.
            await exports.RecordIncompleteDownloadAsync(exportId, taker, sent, ex.Message, CancellationToken.None);
            LogIncomplete(loggers.CreateLogger(typeof(ExportEndpoints)), exportId, sent, package.Size, ex.Message);
            context.Abort();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Export {ExportId}: download ended after {Sent} of {Size} bytes: {Why}")]
    private static partial void LogIncomplete(ILogger logger, Guid exportId, long sent, long size, string why);
}
