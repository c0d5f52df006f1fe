using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Player.Refusals;
using Enforcement.Media.Storage.Retention;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enforcement.Media.Player.Retention;

/// <summary>
/// The disposition queue: recordings past their period with no hold and no open case. A records manager
/// proposes one with a reason; a second records manager — never the one who proposed it — approves it, which
/// disposes of it, or refuses it; each with a reason. The outcome — proposed, disposed, or refused with the
/// store's or the policy's reason — is shown.
/// </summary>
[Authorize(Policy = PlayerPolicies.ManageRetention)]
public sealed class DispositionModel(RetentionDesk desk, RetentionQueries queries) : PageModel
{
    public IReadOnlyList<DispositionCandidate> Pending { get; private set; } = [];

    public IReadOnlyList<DispositionDecision> Recent { get; private set; } = [];

    /// <summary>Who is deciding, as the queue names proposers: their own proposals wait for someone else.</summary>
    public string Actor => User.Actor();

    [BindProperty]
    public Guid RecordingId { get; set; }

    [BindProperty]
    public Guid EntryId { get; set; }

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

    public Task<IActionResult> OnPostProposeAsync(CancellationToken cancellationToken) =>
        StepAsync(() => desk.ProposeAsync(RecordingId, Reason, User.Actor(), cancellationToken), "proposed", cancellationToken);

    public Task<IActionResult> OnPostApproveAsync(CancellationToken cancellationToken) =>
        StepAsync(() => desk.ApproveAsync(EntryId, Reason, User.Actor(), cancellationToken), "disposed", cancellationToken);

    public Task<IActionResult> OnPostRefuseAsync(CancellationToken cancellationToken) =>
        StepAsync(() => desk.RefuseAsync(EntryId, Reason, User.Actor(), cancellationToken), "refused", cancellationToken);

    /// <summary>Runs a step and shows its outcome; anything but <paramref name="expected"/> answers with the status the API would.</summary>
    private async Task<IActionResult> StepAsync(Func<Task<DispositionResult?>> step, string expected, CancellationToken cancellationToken)
    {
        try
        {
            Result = await step();
            if (Result is null)
            {
                return NotFound();
            }

            if (Result.Outcome != expected)
            {
                Response.StatusCode = StatusCodes.Status409Conflict;
            }
        }
        catch (RetentionRequestException ex)
        {
            Error = ex.Message;
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }
        catch (DispositionRefusedException ex)
        {
            Error = ex.Message;
            Response.StatusCode = RefusalStatus.Of(ex.Kind);
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
