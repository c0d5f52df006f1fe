using Enforcement.Media.Player.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enforcement.Media.Player.Admin;

/// <summary>Case assignments: a user sees the cases of their unit and the cases assigned to them.</summary>
[Authorize(Policy = PlayerPolicies.Administer)]
public sealed class AssignmentsModel(UnitStore units, AdminService admin) : PageModel
{
    public IReadOnlyList<Assignment> Assignments { get; private set; } = [];

    [BindProperty]
    public string? CaseNumber { get; set; }

    [BindProperty]
    public string? Username { get; set; }

    public string? Error { get; private set; }

    public bool Assigned { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => Assignments = await units.AssignmentsAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        try
        {
            await admin.AssignAsync(CaseNumber ?? string.Empty, Username ?? string.Empty, User.Actor(), cancellationToken);
            Assigned = true;
        }
        catch (AccountException ex)
        {
            Error = ex.Message;
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }

        Assignments = await units.AssignmentsAsync(cancellationToken);
        return Page();
    }
}
