using Enforcement.Media.Player.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enforcement.Media.Player.Admin;

/// <summary>
/// Every user, and the form that creates one (roles, unit, initial password — which the user must replace
/// at the first sign-in, so the admin never knows the password in use). The service audits the creation.
/// </summary>
[Authorize(Policy = PlayerPolicies.Administer)]
public sealed class UsersModel(UserStore users, UnitStore units, AccountService accounts) : PageModel
{
    public IReadOnlyList<UserAccount> Accounts { get; private set; } = [];

    public IReadOnlyList<Unit> Units { get; private set; } = [];

    [BindProperty]
    public string? Username { get; set; }

    [BindProperty]
    public string? DisplayName { get; set; }

    [BindProperty]
    public string? UnitCode { get; set; }

    [BindProperty]
    public List<string> Roles { get; set; } = [];

    [BindProperty]
    public string? Password { get; set; }

    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        try
        {
            var created = await accounts.CreateAsync(
                Username ?? string.Empty, DisplayName ?? string.Empty, UnitCode, Roles, Password ?? string.Empty, mustChangePassword: true, User.Actor(), cancellationToken);
            return LocalRedirect($"/admin/users/{created.Id}");
        }
        catch (AccountException ex)
        {
            Error = ex.Message;
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            await LoadAsync(cancellationToken);
            return Page();
        }
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Accounts = await users.ListAsync(cancellationToken);
        Units = await units.ListAsync(cancellationToken);
    }
}
