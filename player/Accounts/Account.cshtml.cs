using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enforcement.Media.Player.Accounts;

/// <summary>
/// A user's own account: their API tokens (issued here, by their owner only, the secret shown in this
/// response alone), their live browser sessions, and signing out of them. Every signed-in user has it.
/// </summary>
public sealed class AccountModel(
    UserTokenStore tokens, UserSessionStore sessions, AccountService accounts, BrowserSessions browser, TimeProvider time) : PageModel
{
    public IReadOnlyList<UserToken> Tokens { get; private set; } = [];

    public IReadOnlyList<UserSession> Sessions { get; private set; } = [];

    [BindProperty]
    public string? TokenName { get; set; }

    [BindProperty]
    public Guid TokenId { get; set; }

    public string? Error { get; private set; }

    public string? Done { get; private set; }

    /// <summary>A token just issued: shown in this response and never again.</summary>
    public string? IssuedToken { get; private set; }

    public Guid? CurrentSession => User.SessionId();

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public Task<IActionResult> OnPostIssueTokenAsync(CancellationToken cancellationToken) =>
        ActAsync("account.token-issued", async () => IssuedToken = await accounts.IssueOwnTokenAsync(User.UserId(), TokenName ?? string.Empty, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostRevokeTokenAsync(CancellationToken cancellationToken) =>
        ActAsync("account.token-revoked", async () =>
        {
            if (!await accounts.RevokeTokenAsync(User.UserId(), TokenId, User.Actor(), cancellationToken))
            {
                throw new AccountException("You have no such live token.");
            }
        }, cancellationToken);

    public Task<IActionResult> OnPostEndOtherSessionsAsync(CancellationToken cancellationToken) =>
        ActAsync("account.other-sessions-ended", async () =>
        {
            if (CurrentSession is not { } current)
            {
                throw new AccountException("Only a browser session can end the others.");
            }

            await accounts.EndOtherSessionsAsync(User.UserId(), current, User.Actor(), cancellationToken);
        }, cancellationToken);

    /// <summary>Ends every session (this one too) and revokes every token: for a lost device or a suspected leak.</summary>
    public async Task<IActionResult> OnPostSignOutEverywhereAsync(CancellationToken cancellationToken)
    {
        await accounts.SignOutEverywhereAsync(User.UserId(), User.Actor(), cancellationToken);
        await browser.SignOutAsync(HttpContext, cancellationToken);
        return LocalRedirect("/accounts/login");
    }

    private async Task<IActionResult> ActAsync(string doneKey, Func<Task> action, CancellationToken cancellationToken)
    {
        try
        {
            await action();
            Done = doneKey;
        }
        catch (AccountException ex)
        {
            Error = ex.Message;
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var id = User.UserId();
        Tokens = await tokens.ListAsync(id, cancellationToken);
        Sessions = await sessions.LiveAsync(id, time.GetUtcNow(), cancellationToken);
    }
}
