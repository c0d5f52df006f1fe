using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Player.Playback;
using Enforcement.Media.Player.Visibility;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enforcement.Media.Player.Approvals;

/// <summary>
/// Supervisors decide on requests to view classified recordings they may see — approve or deny, always with
/// a reason, never their own request.
/// </summary>
[Authorize(Policy = PlayerPolicies.Approve)]
public sealed class ViewingModel(ViewApprovalStore store, ViewApprovalService approvals) : PageModel
{
    public IReadOnlyList<ViewApproval> Pending { get; private set; } = [];

    public Guid Me => User.UserId();

    [BindProperty]
    public Guid ApprovalId { get; set; }

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
            await approvals.DecideAsync(ApprovalId, Viewer.Of(User), approve, Reason, cancellationToken);
            Done = approve ? "view.approved-done" : "view.denied-done";
        }
        catch (PlaybackRefusedException ex)
        {
            Error = ex.Message;
            Response.StatusCode = ex.StatusCode;
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken) => Pending = await store.PendingAsync(Viewer.Of(User), 200, cancellationToken);
}
