using System.Security.Claims;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Player.Refusals;
using Enforcement.Media.Player.Visibility;
using Microsoft.AspNetCore.Authorization;

namespace Enforcement.Media.Player.Statistics;

/// <summary>
/// <c>GET /api/v1/statistics?from=&amp;to=&amp;unit=&amp;subunits=&amp;officer=&amp;recorder=&amp;groupBy=</c> (统计分析) and
/// <c>GET /api/v1/statistics/rows?figure=…</c>, the rows behind a number, for supervisors and the legal office
/// (<see cref="PlayerPolicies.ReadStatistics"/>). Bad input (<see cref="StatisticsRefusedException"/>) is answered
/// by <see cref="RefusedProblemFilter"/>: 400 naming the parameter, 403 for a unit outside the caller's.
/// </summary>
public static class StatisticsEndpoints
{
    public static IEndpointRouteBuilder MapStatisticsEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1").RequireAuthorization(PlayerPolicies.ReadStatistics).AddEndpointFilter<RefusedProblemFilter>();

        api.MapGet("/statistics", async (
                [AsParameters] StatisticsInput input, StatisticsCalendar calendar, StatisticsService statistics, IAuthorizationService authorization, HttpContext context,
                CancellationToken cancellationToken) =>
            TypedResults.Ok(await statistics.ReportAsync(Viewer.Of(context.User), calendar.Filter(input), await MayReadOversightAsync(authorization, context.User), cancellationToken)));

        api.MapGet("/statistics/rows", async (
                string? figure, [AsParameters] StatisticsInput input, StatisticsCalendar calendar, StatisticsRows rows, IAuthorizationService authorization, HttpContext context,
                CancellationToken cancellationToken) =>
            TypedResults.Ok(await rows.ListAsync(Viewer.Of(context.User), calendar.Rows(figure, input), await MayReadOversightAsync(authorization, context.User), cancellationToken)));
        return endpoints;
    }

    /// <summary>Whether the figures about people (viewings, approvals, exports) are the caller's to read: those of whoever may read the ledger.</summary>
    public static async Task<bool> MayReadOversightAsync(IAuthorizationService authorization, ClaimsPrincipal user) =>
        (await authorization.AuthorizeAsync(user, PlayerPolicies.ReadLedger)).Succeeded;
}
