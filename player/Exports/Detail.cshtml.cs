using Enforcement.Media.Player.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enforcement.Media.Player.Exports;

/// <summary>One export request: recordings, decision, package digests, download. Its requester and the supervisors whose scope covers its recordings may open it.</summary>
[Authorize(Policy = ExportPolicies.Request)]
public sealed class DetailModel(ExportStore store, IAuthorizationService authorization) : PageModel
{
    public ExportRequest? Export { get; private set; }

    public bool IsMine { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        Export = await store.FindAsync(id, cancellationToken);
        if (Export is null || !await ExportEndpoints.MaySeeAsync(Export, store, HttpContext, authorization, cancellationToken))
        {
            return NotFound();
        }

        IsMine = Export.RequestedBy == User.UserId();
        return Page();
    }
}
