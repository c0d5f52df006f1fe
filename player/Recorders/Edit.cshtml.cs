using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Player.Display;
using Enforcement.Media.Player.Filters;
using Enforcement.Media.Player.Refusals;
using Enforcement.Media.Player.Visibility;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enforcement.Media.Player.Recorders;

/// <summary>
/// Registers a recorder or changes its entry, and hands it over (the form on <see cref="DetailModel"/> posts
/// here): managers only, a page of its own so that authorization turns everyone else away before any form is read.
/// A change that is refused is shown on this page with the reason; one that is made goes back to the recorder.
/// </summary>
[Authorize(Policy = PlayerPolicies.ManageRecorders)]
public sealed class EditModel(RecorderService recorders, LocalClock clock) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Serial { get; set; }

    [BindProperty]
    public string? Model { get; set; }

    [BindProperty]
    public string? Unit { get; set; }

    [BindProperty]
    public string? Status { get; set; }

    [BindProperty]
    public string? Notes { get; set; }

    [BindProperty]
    public string? OfficerId { get; set; }

    /// <summary>
    /// When the handover happened: a time of the display time zone (<c>2026-11-22 08:00</c>) or one with its offset
    /// (<c>2026-11-22T08:00:00+08:00</c>); empty for now.
    /// </summary>
    [BindProperty]
    public string? From { get; set; }

    /// <summary>True when the serial is already registered: the form changes it rather than registering it.</summary>
    public bool Exists { get; private set; }

    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(Serial))
        {
            return;
        }

        try
        {
            var recorder = (await recorders.DetailAsync(Viewer.Of(User), Serial, cancellationToken)).Recorder;
            (Serial, Model, Unit, Status, Notes, Exists) = (recorder.Serial, recorder.Model, recorder.UnitCode, recorder.Status, recorder.Notes, true);
        }
        catch (RecorderRefusedException)
        {
            // Not registered (or another unit's, which saving will say): the form registers it.
        }
    }

    public Task<IActionResult> OnPostSaveAsync(CancellationToken cancellationToken) =>
        ActAsync(async () => (await recorders.SaveAsync(Viewer.Of(User), Serial ?? string.Empty, new RecorderBody(Model, Unit, Status, Notes), "page", cancellationToken)).Detail);

    public Task<IActionResult> OnPostAssignAsync(CancellationToken cancellationToken) =>
        ActAsync(() => recorders.AssignAsync(Viewer.Of(User), Serial ?? string.Empty, new NewAssignment(OfficerId, ParseFrom()), "page", cancellationToken));

    private async Task<IActionResult> ActAsync(Func<Task<RecorderDetail>> action)
    {
        try
        {
            var detail = await action();
            return Redirect($"/recorders/{Uri.EscapeDataString(detail.Recorder.Serial)}");
        }
        catch (RecorderRefusedException ex)
        {
            Error = ex.Errors is { } errors ? string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")) : ex.Message;
            Response.StatusCode = RefusalStatus.Of(ex.Kind, StatusCodes.Status422UnprocessableEntity);
            return Page();
        }
    }

    private DateTimeOffset? ParseFrom()
    {
        if (string.IsNullOrWhiteSpace(From))
        {
            return null;
        }

        var text = From.Trim();
        return QueryInstant.TryParse(text, endOfDay: false, clock, out var from)
            ? from
            : throw new RecorderRefusedException(Refusal.Invalid, $"'{text}' is not a time: e.g. 2026-11-22 08:00 (in the display time zone) or 2026-11-22T08:00:00+08:00.", "from");
    }
}
