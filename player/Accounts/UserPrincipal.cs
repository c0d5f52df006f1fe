using System.Security.Claims;

namespace Enforcement.Media.Player.Accounts;

/// <summary>The claims a signed-in user carries, and reading them back.</summary>
public static class UserPrincipal
{
    public const string UnitClaim = "em:unit";
    public const string StampClaim = "em:stamp";
    public const string DisplayNameClaim = "em:display_name";

    /// <summary>The browser session (<c>user_sessions.id</c>) a cookie belongs to; bearer tokens have none.</summary>
    public const string SessionClaim = "em:session";

    /// <summary>Present while the user's password is one an admin set: nothing but choosing their own is allowed.</summary>
    public const string MustChangePasswordClaim = "em:must_change_password";

    public static ClaimsPrincipal Create(UserAccount user, string authenticationType, Guid? sessionId = null)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, user.Id.ToString()),
            new(ClaimTypes.Name, user.Username),
            new(DisplayNameClaim, user.DisplayName),
            new(StampClaim, user.SecurityStamp.ToString()),
        };
        if (user.UnitCode is not null)
        {
            claims.Add(new Claim(UnitClaim, user.UnitCode));
        }

        if (sessionId is { } session)
        {
            claims.Add(new Claim(SessionClaim, session.ToString()));
        }

        if (user.PasswordMustChange)
        {
            claims.Add(new Claim(MustChangePasswordClaim, "true"));
        }

        claims.AddRange(user.Roles.Select(role => new Claim(ClaimTypes.Role, role)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationType, ClaimTypes.Name, ClaimTypes.Role));
    }

    public static Guid UserId(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : throw new InvalidOperationException("The request has no signed-in user.");

    /// <summary>The audit trail's name for this user: <c>user:&lt;username&gt;</c>.</summary>
    public static string Actor(this ClaimsPrincipal principal) => $"user:{principal.Identity?.Name ?? "anonymous"}";

    public static string? UnitCode(this ClaimsPrincipal principal) => principal.FindFirstValue(UnitClaim);

    public static Guid? SessionId(this ClaimsPrincipal principal) => Guid.TryParse(principal.FindFirstValue(SessionClaim), out var id) ? id : null;

    public static bool MustChangePassword(this ClaimsPrincipal principal) => principal.HasClaim(MustChangePasswordClaim, "true");
}
