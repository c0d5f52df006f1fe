using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Storage.Retention;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enforcement.Media.Player.Retention;

/// <summary>
/// Runs a reconcile (catalogue and policy against the locks the store reports, repairing what falls
/// short) and shows its drift report. It runs within the request: it reads every object's lock, so on a
/// large catalogue the command <c>ingest retention reconcile</c> is the better tool.
/// </summary>
[Authorize(Policy = PlayerPolicies.ManageRetention)]
public sealed class ReconcileModel(RetentionDesk desk) : PageModel
{
    public ReconcileReport? Report { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Report = await desk.ReconcileAsync(User.Actor(), cancellationToken);
        return Page();
    }
}
