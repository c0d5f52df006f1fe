using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Player.Recordings;
using Enforcement.Media.Player.Refusals;
using Enforcement.Media.Player.Visibility;
using Enforcement.Media.Storage.Cases;
using Enforcement.Media.Storage.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enforcement.Media.Player.Links;

/// <summary>
/// Linking a recording by hand, from its page or from a search row: the reviewer names the case, picks one of
/// its activities (or the case alone) and gives the reason; removing a link posts here too. Done, it goes back
/// to the recording's links; refused, it says why here, with the status the API would answer.
/// </summary>
[Authorize(Policy = PlayerPolicies.LinkRecordings)]
public sealed class LinkModel(RecordingLinkService links, RecordingQueries recordings, RecordingAccess access) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "case")]
    public string? CaseNumber { get; set; }

    /// <summary>The activity as the case system names it; empty for the case alone.</summary>
    [BindProperty]
    public string? ActivityId { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public Guid LinkId { get; set; }

    public RecordingDetail Recording { get; private set; } = null!;

    public LinkableCase? Case { get; private set; }

    public IReadOnlyList<ActivityRecord> Activities { get; private set; } = [];

    public string? Error { get; private set; }

    /// <summary>A case number was given that names no case the user may see.</summary>
    public bool CaseNotFound { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        if (!string.IsNullOrWhiteSpace(CaseNumber) && Case is null)
        {
            CaseNotFound = true;
            Response.StatusCode = StatusCodes.Status404NotFound;
        }

        return Page();
    }

    public Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellationToken) =>
        ChangeAsync(id, () => links.LinkAsync(Viewer.Of(User), id, new NewLink(CaseNumber, ActivityId, null, Reason), cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostUnlinkAsync(Guid id, CancellationToken cancellationToken) =>
        ChangeAsync(id, () => links.UnlinkAsync(Viewer.Of(User), id, LinkId, Reason, cancellationToken), cancellationToken);

    private async Task<IActionResult> ChangeAsync(Guid id, Func<Task> change, CancellationToken cancellationToken)
    {
        try
        {
            await change();
            return LocalRedirect($"/recordings/{id}#links");
        }
        catch (LinkRefusedException ex)
        {
            if (!await LoadAsync(id, cancellationToken))
            {
                return NotFound();
            }

            Error = ex.Message;
            Response.StatusCode = RefusalStatus.Of(ex.Kind);
            return Page();
        }
    }

    /// <summary>The recording and, when one is named, the case with its activities; false when the user may not see the recording.</summary>
    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        HttpContext.SetRecording(id);
        if (!await access.MaySeeAsync(User, id, cancellationToken) || await recordings.DetailAsync(id, cancellationToken) is not { } recording)
        {
            return false;
        }

        Recording = recording;
        if (!string.IsNullOrWhiteSpace(CaseNumber) && CaseNumber.Length <= RecordingLinkService.MaxTextLength
            && await links.CaseAsync(Viewer.Of(User), CaseNumber, cancellationToken) is { } found)
        {
            (Case, Activities) = found;
        }

        return true;
    }
}
