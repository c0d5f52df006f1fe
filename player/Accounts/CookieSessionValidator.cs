using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Enforcement.Media.Player.Accounts;

/// <summary>
/// Re-checks a browser session against the catalogue on every request: a disabled or locked user,
/// or one whose password or roles changed (new security stamp), is signed out at once.
/// </summary>
public sealed class CookieSessionValidator(UserStore users, TimeProvider time) : CookieAuthenticationEvents
{
    public override async Task ValidatePrincipal(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        var valid = false;
        if (principal is not null && Guid.TryParse(principal.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value, out var id))
        {
            var user = await users.FindAsync(id, context.HttpContext.RequestAborted);
            valid = user is { DisabledAt: null }
                && !(user.LockedUntil > time.GetUtcNow())
                && principal.FindFirst(UserPrincipal.StampClaim)?.Value == user.SecurityStamp.ToString();
        }

        if (!valid)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }

    /// <summary>API callers get 401/403, not a redirect to the login page.</summary>
    public override Task RedirectToLogin(RedirectContext<CookieAuthenticationOptions> context)
    {
        if (IsApi(context.Request))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Task.CompletedTask;
        }

        return base.RedirectToLogin(context);
    }

    public override Task RedirectToAccessDenied(RedirectContext<CookieAuthenticationOptions> context)
    {
        if (IsApi(context.Request))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return Task.CompletedTask;
        }

        return base.RedirectToAccessDenied(context);
    }

    private static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);
}
