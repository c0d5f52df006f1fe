using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Player.Accounts;

/// <summary>
/// Re-checks a browser session against the catalogue on every request, in one query: the cookie's session
/// row must be live (not signed out, not ended by a password change or "sign out everywhere", not idle past
/// its expiry), and its user enabled with the same security stamp (roles and password unchanged). Anything
/// else signs the cookie out at once.
/// </summary>
public sealed class CookieSessionValidator(UserStore users, UserSessionStore sessions, IOptions<AccountOptions> options, TimeProvider time) : CookieAuthenticationEvents
{
    public override async Task ValidatePrincipal(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        var valid = false;
        if (principal?.SessionId() is { } sessionId && Guid.TryParse(principal.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value, out var userId))
        {
            var now = time.GetUtcNow();
            var cancellationToken = context.HttpContext.RequestAborted;
            if (await users.FindBySessionAsync(sessionId, userId, now, cancellationToken) is var (user, lastSeen))
            {
                valid = user.DisabledAt is null && principal.FindFirst(UserPrincipal.StampClaim)?.Value == user.SecurityStamp.ToString();
                if (valid && now - lastSeen > UserSessionStore.TouchEvery)
                {
                    await sessions.TouchAsync(sessionId, now, now + options.Value.SessionIdleTimeout, cancellationToken);
                }
            }
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
