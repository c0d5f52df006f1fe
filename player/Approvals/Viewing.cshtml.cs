using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Player.Visibility;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Enforcement.Media.Player.Approvals;

/// <summary>
/// Supervisors decide on requests to view classified recordings they may see — approve or deny, always with
/// a reason, never their own request.
/// </summary>
[Authorize(Policy = PlayerPolicies.Approve)]
public sealed class ViewingModel(ViewApprovalStore store, ViewApprovalService approvals) : DecisionPageModel
{
    public IReadOnlyList<ViewApproval> Pending { get; private set; } = [];

    [BindProperty]
    public Guid ApprovalId { get; set; }

    protected override async Task<string> DecideAsync(bool approve, string? reason, CancellationToken cancellationToken)
    {
        await approvals.DecideAsync(ApprovalId, Viewer.Of(User), approve, reason, cancellationToken);
        return approve ? "view.approved-done" : "view.denied-done";
    }

    protected override async Task LoadAsync(CancellationToken cancellationToken) => Pending = await store.PendingAsync(Viewer.Of(User), 200, cancellationToken);
}
