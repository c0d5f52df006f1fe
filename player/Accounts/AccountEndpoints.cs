using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Localization;

namespace Enforcement.Media.Player.Accounts;

internal static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // POST only (with the antiforgery token from the layout's form): a link cannot sign anyone out.
        // Ends the session on the server, not only the cookie: a copy of the cookie is worthless after.
        endpoints.MapPost("/accounts/logout", async (HttpContext context, BrowserSessions sessions, CancellationToken cancellationToken) =>
        {
            await sessions.SignOutAsync(context, cancellationToken);
            return TypedResults.LocalRedirect("/accounts/login");
        }).AddEndpointFilter<AntiforgeryFilter>();

        // Who the caller is (cookie or bearer token): lets API clients check their token.
        endpoints.MapGet("/api/v1/me", (HttpContext context) => TypedResults.Ok(new
        {
            username = context.User.Identity!.Name,
            displayName = context.User.FindFirst(UserPrincipal.DisplayNameClaim)?.Value,
            unit = context.User.UnitCode(),
            roles = context.User.FindAll(System.Security.Claims.ClaimTypes.Role).Select(c => c.Value).ToArray(),
        }));

        endpoints.MapGet("/accounts/denied", () => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "You may not open this page."));

        // A display preference, not a state change of any record.
        endpoints.MapGet("/language/{culture}", (string culture, string? returnUrl, HttpContext context) =>
        {
            var chosen = culture.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? "zh-CN" : "en";
            context.Response.Cookies.Append(
                CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(chosen)),
                new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, MaxAge = TimeSpan.FromDays(365) });
            // The very rule LocalRedirect enforces (no "//host", no "/\host", no control characters), so a
            // hostile returnUrl falls back to the start page instead of throwing.
            return TypedResults.LocalRedirect(RedirectHttpResult.IsLocalUrl(returnUrl) ? returnUrl : "/");
        }).AllowAnonymous();
        return endpoints;
    }
}
