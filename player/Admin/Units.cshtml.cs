using Enforcement.Media.Player.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enforcement.Media.Player.Admin;

/// <summary>Units (执法单位): the list and the form that adds one. <see cref="AdminService"/> audits the creation.</summary>
[Authorize(Policy = PlayerPolicies.Administer)]
public sealed class UnitsModel(UnitStore units, AdminService admin) : PageModel
{
    public IReadOnlyList<Unit> Units { get; private set; } = [];

    [BindProperty]
    public string? Code { get; set; }

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? ParentCode { get; set; }

    public string? Error { get; private set; }

    public bool Created { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => Units = await units.ListAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        try
        {
            await admin.CreateUnitAsync(Code?.Trim() ?? string.Empty, Name ?? string.Empty, ParentCode, User.Actor(), cancellationToken);
            Created = true;
        }
        catch (AccountException ex)
        {
            Error = ex.Message;
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }

        Units = await units.ListAsync(cancellationToken);
        return Page();
    }
}
