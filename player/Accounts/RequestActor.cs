using Enforcement.Media.Storage.Hosting;

namespace Enforcement.Media.Player.Accounts;

/// <summary>Names the signed-in user on the request's log line and trace, as the audit trail names them (<c>user:&lt;username&gt;</c>).</summary>
internal sealed class RequestActor(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.User.Identity?.IsAuthenticated == true)
        {
            context.SetActor(context.User.Actor());
        }

        return next(context);
    }
}
