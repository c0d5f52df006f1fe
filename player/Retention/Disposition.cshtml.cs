using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Storage.Retention;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enforcement.Media.Player.Retention;

/// <summary>
/// The disposition queue: recordings past their period with no hold and no open case. A records manager
/// approves one with a reason; the outcome — disposed, or refused with the store's reason — is shown.
/// </summary>
[Authorize(Policy = PlayerPolicies.ManageRetention)]
public sealed class DispositionModel(RetentionDesk desk, RetentionQueries queries) : PageModel
{
    public IReadOnlyList<DispositionCandidate> Pending { get; private set; } = [];

    public IReadOnlyList<DispositionDecision> Recent { get; private set; } = [];

    [BindProperty]
    public Guid RecordingId { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    public DispositionResult? Result { get; private set; }

    public int? Added { get; private set; }

    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostRefreshAsync(CancellationToken cancellationToken)
    {
        Added = await desk.RefreshQueueAsync(cancellationToken);
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostApproveAsync(CancellationToken cancellationToken)
    {
        try
        {
            Result = await desk.DisposeAsync(RecordingId, Reason, User.Actor(), cancellationToken);
            if (Result is null)
            {
                return NotFound();
            }

            if (Result.Outcome != "disposed")
            {
                Response.StatusCode = StatusCodes.Status409Conflict;
            }
        }
        catch (RetentionRequestException ex)
        {
            Error = ex.Message;
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Pending = await desk.PendingAsync(cancellationToken);
        Recent = await queries.DecisionsAsync(null, 50, cancellationToken);
    }
}
