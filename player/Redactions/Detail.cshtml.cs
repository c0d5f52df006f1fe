using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Player.Approvals;
using Enforcement.Media.Player.Playback;
using Enforcement.Media.Player.Publications;
using Enforcement.Media.Player.Recordings;
using Enforcement.Media.Player.Refusals;
using Enforcement.Media.Player.Visibility;
using Enforcement.Media.Storage.Publications;
using Enforcement.Media.Storage.Redactions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enforcement.Media.Player.Redactions;

/// <summary>
/// One redaction: what it hides, why, its render and provenance, its publications; once rendered, a logged
/// viewing of its output (the only footage here) and the request to publish it. This is the publication
/// office's way to footage — it reads no cases and no recording pages (<see cref="PlayerPolicies.ReadCases"/>
/// leaves it out), so it never sees a rendition, an original, their thumbnails or the recording's custody.
/// </summary>
[Authorize(Policy = PlayerPolicies.WatchRedacted)]
public sealed class DetailModel(
    RedactionService redactions,
    PublicationService publications,
    PublicationStore publicationStore,
    RecordingQueries recordings,
    ViewApprovalStore approvals,
    IAuthorizationService authorization,
    TimeProvider time) : PageModel
{
    public RedactionView Redaction { get; private set; } = null!;

    public RecordingDetail Recording { get; private set; } = null!;

    /// <summary>This redaction's publications, newest first.</summary>
    public PublicationList Publications { get; private set; } = null!;

    /// <summary>The user may open the recording's page (the publication office may not).</summary>
    public bool MayReadCases { get; private set; }

    public bool MayPublish { get; private set; }

    /// <summary>The player, offering this redaction's output only; null until it is rendered.</summary>
    public PlayerStage? Stage { get; private set; }

    [BindProperty]
    public string? PublicationTitle { get; set; }

    [BindProperty]
    public string? PublicationBody { get; set; }

    public string? Error { get; private set; }

    public PublicationRecord? Requested { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostRequestAsync(Guid id, CancellationToken cancellationToken)
    {
        try
        {
            Requested = await publications.RequestAsync(Viewer.Of(User), id, new NewPublication(PublicationTitle, PublicationBody), cancellationToken);
        }
        catch (RefusedException ex)
        {
            Error = ex.Message;
            Response.StatusCode = RefusalStatus.Of(ex.Kind);
        }

        return await LoadAsync(id, cancellationToken) ? Page() : NotFound();
    }

    /// <summary>False for a redaction the user may not see (or of footage disposed of): the same 404 as for none.</summary>
    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        var viewer = Viewer.Of(User);
        try
        {
            Redaction = await redactions.ViewAsync(viewer, id, cancellationToken);
        }
        catch (RedactionRefusedException ex) when (ex.Kind == Refusal.NotFound)
        {
            return false;
        }

        if (await recordings.DetailAsync(Redaction.RecordingId, cancellationToken) is not { } recording)
        {
            return false;
        }

        Recording = recording;
        MayReadCases = await MayAsync(PlayerPolicies.ReadCases);
        MayPublish = await MayAsync(PlayerPolicies.Publish);
        var listed = await publicationStore.ListAsync(RecordingVisibility.For(viewer), null, PublicationEndpoints.MaxListed, cancellationToken);
        Publications = new PublicationList([.. listed.Where(p => p.RedactionId == id)], viewer.UserId, await MayAsync(PlayerPolicies.Approve), MayPublish, MayReadCases);
        if (Redaction.State == RedactionState.Ready)
        {
            Stage = new PlayerStage(
                recording.Facts.Id,
                Redaction.Output?.DurationSeconds ?? recording.Probe?.DurationSeconds,
                recording.Probe?.FramesPerSecond,
                [PlaybackVariant.Redacted],
                recording.Facts.NeedsApproval,
                await UsableApprovalAsync(recording, cancellationToken),
                RedactionId: id);
        }

        return true;
    }

    /// <summary>For classified footage, the user's own approval still in force (only watchers can ask for one).</summary>
    private async Task<Guid?> UsableApprovalAsync(RecordingDetail recording, CancellationToken cancellationToken)
    {
        if (!recording.Facts.NeedsApproval || !await MayAsync(PlayerPolicies.Watch))
        {
            return null;
        }

        var mine = await approvals.OfRequesterAsync(User.UserId(), recording.Facts.Id, cancellationToken);
        return mine.FirstOrDefault(a => a.State == ApprovalState.Approved && a.ExpiresAt > time.GetUtcNow())?.Id;
    }

    private async Task<bool> MayAsync(string policy) => (await authorization.AuthorizeAsync(User, policy)).Succeeded;
}
