namespace Enforcement.Media.Player.Accounts;

/// <summary>
/// While a user's password is one an admin set, the only things they may do are choose their own
/// (<c>/account/password</c>), sign out, switch language and ask who they are (<c>/api/v1/me</c>): a page
/// asks them to change it first, an API answers 403. So the admin who typed the password cannot use it for anything but that change — which
/// the audit trail records and which leaves the real user unable to sign in, so it does not go unnoticed.
/// </summary>
public sealed class PasswordChangeGate(RequestDelegate next)
{
    public const string PasswordPage = "/account/password";

    public Task InvokeAsync(HttpContext context)
    {
        if (!context.User.MustChangePassword() || MayPass(context.Request.Path))
        {
            return next(context);
        }

        if (context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            return Results.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: $"Your password was set by an administrator: choose your own at {PasswordPage} before anything else.").ExecuteAsync(context);
        }

        context.Response.Redirect(PasswordPage);
        return Task.CompletedTask;
    }

    private static bool MayPass(PathString path) =>
        path.Equals(PasswordPage, StringComparison.OrdinalIgnoreCase)
        || path.Equals("/accounts/logout", StringComparison.OrdinalIgnoreCase)
        || path.Equals("/api/v1/me", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/language", StringComparison.OrdinalIgnoreCase);
}
