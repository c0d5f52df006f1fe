using Microsoft.AspNetCore.Antiforgery;

namespace Enforcement.Media.Player.Accounts;

/// <summary>
/// Validates the antiforgery token on state-changing endpoints that browsers reach with the session
/// cookie. Minimal APIs validate only endpoints that bind a form, so a POST without one (sign out,
/// approve …) must ask explicitly. Bearer-token calls carry no ambient credential and are not CSRF-prone.
/// </summary>
public sealed class AntiforgeryFilter(IAntiforgery antiforgery) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                await antiforgery.ValidateRequestAsync(http);
            }
            catch (AntiforgeryValidationException)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The form's antiforgery token is missing or invalid; reload the page and try again.");
            }
        }

        return await next(context);
    }
}
