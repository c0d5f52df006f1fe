using Enforcement.Media.Player.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enforcement.Media.Player.Admin;

/// <summary>
/// One user: roles and unit, disable/enable, password reset (a password the user must replace at the next
/// sign-in), their API tokens (listed and revoked — never issued: only the owner issues their own), and
/// "sign out everywhere". Each change is audited by <see cref="AccountService"/> and ends the user's sessions.
/// </summary>
[Authorize(Policy = PlayerPolicies.Administer)]
public sealed class UserDetailModel(UserStore users, UnitStore units, UserTokenStore tokens, AccountService accounts) : PageModel
{
    public UserAccount? Account { get; private set; }

    public IReadOnlyList<Unit> Units { get; private set; } = [];

    public IReadOnlyList<UserToken> Tokens { get; private set; } = [];

    [BindProperty]
    public List<string> Roles { get; set; } = [];

    [BindProperty]
    public string? UnitCode { get; set; }

    [BindProperty]
    public string? NewPassword { get; set; }

    [BindProperty]
    public Guid TokenId { get; set; }

    public string? Error { get; private set; }

    public string? Done { get; private set; }

    public bool IsSelf => Account is not null && Account.Id == User.UserId();

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    public Task<IActionResult> OnPostSaveAsync(Guid id, CancellationToken cancellationToken) =>
        ChangeAsync(id, "admin.saved", account =>
        {
            if (account.Id == User.UserId() && !Roles.Contains(Accounts.Roles.Admin))
            {
                throw new AccountException("You cannot take the admin role from yourself; another admin must do it.");
            }

            return accounts.ChangeAsync(account.Id, Roles, null, null, UnitCode ?? string.Empty, User.Actor(), cancellationToken);
        }, cancellationToken);

    public Task<IActionResult> OnPostDisableAsync(Guid id, CancellationToken cancellationToken) =>
        ChangeAsync(id, "admin.disabled-done", account =>
            account.Id == User.UserId()
                ? throw new AccountException("You cannot disable yourself; another admin must do it.")
                : accounts.ChangeAsync(account.Id, null, null, true, null, User.Actor(), cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostEnableAsync(Guid id, CancellationToken cancellationToken) =>
        ChangeAsync(id, "admin.enabled-done", account => accounts.ChangeAsync(account.Id, null, null, false, null, User.Actor(), cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostPasswordAsync(Guid id, CancellationToken cancellationToken) =>
        ChangeAsync(id, "admin.password-reset", account => accounts.ChangeAsync(account.Id, null, NewPassword ?? string.Empty, null, null, User.Actor(), cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostRevokeTokenAsync(Guid id, CancellationToken cancellationToken) =>
        ChangeAsync(id, "admin.token-revoked", async account =>
        {
            // Only a token of the user whose page this is: a forged form cannot revoke someone else's by id.
            if (!await accounts.RevokeTokenAsync(account.Id, TokenId, User.Actor(), cancellationToken))
            {
                throw new AccountException("This user has no such live token.");
            }
        }, cancellationToken);

    public Task<IActionResult> OnPostSignOutEverywhereAsync(Guid id, CancellationToken cancellationToken) =>
        ChangeAsync(id, "admin.signed-out-everywhere", account => accounts.SignOutEverywhereAsync(account.Id, User.Actor(), cancellationToken), cancellationToken);

    private async Task<IActionResult> ChangeAsync(Guid id, string doneKey, Func<UserAccount, Task> change, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        try
        {
            await change(Account!);
            Done = doneKey;
        }
        catch (AccountException ex)
        {
            Error = ex.Message;
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }

        await LoadAsync(id, cancellationToken);
        return Page();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        Account = await users.FindAsync(id, cancellationToken);
        if (Account is null)
        {
            return false;
        }

        Units = await units.ListAsync(cancellationToken);
        Tokens = await tokens.ListAsync(id, cancellationToken);
        return true;
    }
}
