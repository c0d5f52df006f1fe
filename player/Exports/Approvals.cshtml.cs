using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Player.Approvals;
using Enforcement.Media.Player.Visibility;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Enforcement.Media.Player.Exports;

/// <summary>
/// Supervisors decide on export requests — approve or deny, always with a reason, never their own — and
/// see the register of every request decided.
/// </summary>
[Authorize(Policy = PlayerPolicies.Approve)]
public sealed class ApprovalsModel(ExportStore store, ExportService exports) : DecisionPageModel
{
    public IReadOnlyList<ExportRequest> Pending { get; private set; } = [];

    public IReadOnlyList<ExportRequest> Decided { get; private set; } = [];

    [BindProperty]
    public Guid ExportId { get; set; }

    protected override async Task<string> DecideAsync(bool approve, string? reason, CancellationToken cancellationToken)
    {
        await exports.DecideAsync(ExportId, ExportPrincipal.Of(User), approve, reason, cancellationToken);
        return approve ? "exp.approved-done" : "exp.denied-done";
    }

    protected override async Task LoadAsync(CancellationToken cancellationToken)
    {
        var supervisor = Viewer.Of(User);
        Pending = await store.PendingAsync(supervisor, 200, cancellationToken);
        Decided = await store.DecidedAsync(supervisor, 200, cancellationToken);
    }
}
