using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Player.Refusals;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enforcement.Media.Player.Approvals;

/// <summary>
/// A supervisor's page of requests to approve or deny, always with a reason: the posting, the
/// refusal shown with its status code, and the reload are the same for viewing and export requests;
/// what is decided and listed is the page's own.
/// </summary>
public abstract class DecisionPageModel : PageModel
{
    public Guid Me => User.UserId();

    [BindProperty]
    public string? Reason { get; set; }

    public string? Error { get; private set; }

    /// <summary>The localized text key of the decision just made.</summary>
    public string? Done { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public Task<IActionResult> OnPostApproveAsync(CancellationToken cancellationToken) => DecideAsync(true, cancellationToken);

    public Task<IActionResult> OnPostDenyAsync(CancellationToken cancellationToken) => DecideAsync(false, cancellationToken);

    /// <summary>Records the decision (the service refuses what may not be decided) and returns the text key to confirm it.</summary>
    protected abstract Task<string> DecideAsync(bool approve, string? reason, CancellationToken cancellationToken);

    protected abstract Task LoadAsync(CancellationToken cancellationToken);

    private async Task<IActionResult> DecideAsync(bool approve, CancellationToken cancellationToken)
    {
        try
        {
            Done = await DecideAsync(approve, Reason, cancellationToken);
        }
        catch (RefusedException ex)
        {
            Error = ex.Message;
            Response.StatusCode = RefusalStatus.Of(ex.Kind, StatusCodes.Status400BadRequest);
        }

        await LoadAsync(cancellationToken);
        return Page();
    }
}
