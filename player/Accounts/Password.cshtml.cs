using Enforcement.Media.Storage.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enforcement.Media.Player.Accounts;

/// <summary>
/// A user chooses their own password, giving the current one. It ends every session of theirs (copies of
/// the old cookie included) and signs this browser in again. A password an admin set leads here first.
/// </summary>
public sealed class PasswordModel(AccountService accounts, UserStore users, BrowserSessions browser) : PageModel
{
    [BindProperty]
    public string? CurrentPassword { get; set; }

    [BindProperty]
    public string? NewPassword { get; set; }

    [BindProperty]
    public string? RepeatPassword { get; set; }

    public string? Error { get; private set; }

    public bool MustChange => User.MustChangePassword();

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (!string.Equals(NewPassword, RepeatPassword, StringComparison.Ordinal))
            {
                throw new AccountException("The two new passwords differ.");
            }

            var id = User.UserId();
            await accounts.ChangeOwnPasswordAsync(id, CurrentPassword, NewPassword, ClientAddress.Of(HttpContext), cancellationToken);
            var user = await users.FindAsync(id, cancellationToken) ?? throw new AccountException("There is no such user.");
            await browser.SignInAsync(HttpContext, user, cancellationToken);
            return LocalRedirect("/account?changed=password");
        }
        catch (AccountException ex)
        {
            Error = ex.Message;
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }
    }
}
