using System.Globalization;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Player.Display;
using Enforcement.Media.Storage.Retention;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enforcement.Media.Player.Retention;

/// <summary>
/// One recording's retention: class, retain-until, holds, the policy's reasons and each object's lock
/// as the store reports it; place and release legal holds, extend retention (a shorter date is refused
/// and shown as refused). The outcome of each action is shown on the page it returns.
/// </summary>
[Authorize(Policy = PlayerPolicies.ManageRetention)]
public sealed class RecordingRetentionPageModel(RetentionViews views, RetentionDesk desk, LocalClock clock) : PageModel
{
    public RecordingRetention? View { get; private set; }

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public Guid HoldId { get; set; }

    /// <summary>The date to keep until, <c>yyyy-MM-dd</c> (its first instant in the display time zone).</summary>
    [BindProperty]
    public string? Until { get; set; }

    public string? Error { get; private set; }

    public string? Done { get; private set; }

    public string? Refused { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        (View = await views.ViewAsync(id, cancellationToken)) is null ? NotFound() : Page();

    public Task<IActionResult> OnPostHoldAsync(Guid id, CancellationToken cancellationToken) =>
        ActAsync(id, async () => await desk.PlaceHoldAsync(id, Reason, User.Actor(), cancellationToken) is not null, "ret.hold-placed", cancellationToken);

    public Task<IActionResult> OnPostReleaseAsync(Guid id, CancellationToken cancellationToken) =>
        ActAsync(id, () => desk.ReleaseHoldAsync(HoldId, Reason, User.Actor(), cancellationToken), "ret.hold-released", cancellationToken);

    public Task<IActionResult> OnPostExtendAsync(Guid id, CancellationToken cancellationToken) =>
        ActAsync(id, async () => await desk.ExtendAsync(id, ParseUntil(), Reason, User.Actor(), cancellationToken) is not null, "ret.extended", cancellationToken);

    private async Task<IActionResult> ActAsync(Guid id, Func<Task<bool>> action, string doneKey, CancellationToken cancellationToken)
    {
        try
        {
            if (!await action())
            {
                return NotFound();
            }

            Done = doneKey;
        }
        catch (RetentionRequestException ex)
        {
            Error = ex.Message;
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }
        catch (RetentionShorteningException ex)
        {
            Refused = ex.Message;
            Response.StatusCode = StatusCodes.Status409Conflict;
        }

        View = await views.ViewAsync(id, cancellationToken);
        return View is null ? NotFound() : Page();
    }

    private DateTimeOffset? ParseUntil() =>
        DateOnly.TryParseExact(Until?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? clock.StartOf(date)
            : throw new RetentionRequestException("until", "Give the date as yyyy-MM-dd.");
}
