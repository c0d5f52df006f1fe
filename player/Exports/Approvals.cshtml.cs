using Enforcement.Media.Player.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enforcement.Media.Player.Exports;

/// <summary>
/// Supervisors decide on export requests — approve or deny, always with a reason, never their own — and
/// see the register of every request decided.
/// </summary>
[Authorize(Policy = PlayerPolicies.Approve)]
public sealed class ApprovalsModel(ExportStore store, ExportService exports) : PageModel
{
    public IReadOnlyList<ExportRequest> Pending { get; private set; } = [];

    public IReadOnlyList<ExportRequest> Decided { get; private set; } = [];

    public Guid Me => User.UserId();

    [BindProperty]
    public Guid ExportId { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    public string? Error { get; private set; }

    public string? Done { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public Task<IActionResult> OnPostApproveAsync(CancellationToken cancellationToken) => DecideAsync(true, cancellationToken);

    public Task<IActionResult> OnPostDenyAsync(CancellationToken cancellationToken) => DecideAsync(false, cancellationToken);

    private async Task<IActionResult> DecideAsync(bool approve, CancellationToken cancellationToken)
    {
        try
        {
            await exports.DecideAsync(ExportId, ExportPrincipal.Of(User), approve, Reason, cancellationToken);
            Done = approve ? "exp.approved-done" : "exp.denied-done";
        }
        catch (ExportRefusedException ex)
        {
            Error = ex.Message;
            Response.StatusCode = ex.StatusCode;
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Pending = await store.PendingAsync(200, cancellationToken);
        Decided = await store.DecidedAsync(200, cancellationToken);
    }
}
