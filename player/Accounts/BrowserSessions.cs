using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Enforcement.Media.Player.Accounts;

/// <summary>
/// Starts and ends browser sessions: each sign-in is a new row in <c>user_sessions</c> named by the cookie
/// (never a row a cookie brought along, so a planted cookie cannot become someone's session), and signing
/// out ends the row on the server before the cookie is deleted — a copy of the cookie is worthless after.
/// </summary>
public sealed class BrowserSessions(
    NpgsqlDataSource dataSource,
    UserSessionStore sessions,
    KnownDevices devices,
    AuditTrail audit,
    IOptions<AccountOptions> options,
    TimeProvider time)
{
    public const int MaxUserAgentLength = 512;

    public async Task SignInAsync(HttpContext context, UserAccount user, CancellationToken cancellationToken)
    {
        await EndCurrentAsync(context, "replaced by a new sign-in", cancellationToken);
        var now = time.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        var agent = context.Request.Headers.UserAgent.ToString();
        await sessions.StartAsync(
            id, user.Id, now, now + options.Value.SessionIdleTimeout, ClientAddress.Of(context), agent.Length <= MaxUserAgentLength ? agent : agent[..MaxUserAgentLength], cancellationToken);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, UserPrincipal.Create(user, CookieAuthenticationDefaults.AuthenticationScheme, id));
        devices.Remember(context, user.Id);
    }

    public async Task SignOutAsync(HttpContext context, CancellationToken cancellationToken)
    {
        await EndCurrentAsync(context, UserSessionStore.SignedOut, cancellationToken);
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }

    private async Task EndCurrentAsync(HttpContext context, string reason, CancellationToken cancellationToken)
    {
        var principal = context.User;
        if (principal.SessionId() is not { } sessionId || !Guid.TryParse(principal.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value, out var userId))
        {
            return;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await UserSessionStore.EndAsync(connection, transaction, sessionId, userId, reason, time.GetUtcNow(), cancellationToken))
        {
            await audit.AppendAsync(connection, transaction, new AuditEntry(principal.Actor(), "user.signed-out", "user", userId.ToString(), new { session = sessionId, reason, clientAddress = ClientAddress.Of(context) }), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }
}
