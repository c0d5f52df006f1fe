using Enforcement.Media.Player.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enforcement.Media.Player.Retention;

/// <summary>The records managers' start page: find a recording by id or SHA-256, and every active legal hold.</summary>
[Authorize(Policy = PlayerPolicies.ManageRetention)]
public sealed class IndexModel(RetentionQueries queries) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    public bool NotFoundQuery { get; private set; }

    public IReadOnlyList<LegalHoldRecord> ActiveHolds { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(Q))
        {
            if (Q.Length <= 100 && await queries.FindAsync(Q, cancellationToken) is { } id)
            {
                return LocalRedirect($"/retention/recordings/{id}");
            }

            NotFoundQuery = true;
            Response.StatusCode = StatusCodes.Status404NotFound;
        }

        ActiveHolds = await queries.HoldsAsync(null, cancellationToken);
        return Page();
    }
}
