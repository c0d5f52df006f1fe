using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Player.Approvals;
using Enforcement.Media.Player.Markers;
using Enforcement.Media.Player.Playback;
using Enforcement.Media.Player.Redactions;
using Enforcement.Media.Storage.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enforcement.Media.Player.Recordings;

/// <summary>
/// One recording: the original's metadata, SHA-256, sources, classification, case links and
/// chain of custody — none of it footage, so shown without a session — and the player, which asks for a
/// reason and starts a logged playback session before a single byte of footage is requested.
/// </summary>
[Authorize(Policy = PlayerPolicies.ReadCases)]
public sealed class DetailModel(
    RecordingQueries queries, RecordingAccess visibility, MarkerStore markers, ViewApprovalStore approvals, IAuthorizationService authorization, TimeProvider time) : PageModel
{
    public RecordingDetail Recording { get; private set; } = null!;

    public IReadOnlyList<Marker> Markers { get; private set; } = [];

    /// <summary>The user's role may watch footage (with a reason).</summary>
    public bool MayWatch { get; private set; }

    /// <summary>The user's role may link the recording to a case, and remove links, by hand.</summary>
    public bool MayLink { get; private set; }

    /// <summary>The user's role may fetch the byte-exact original rather than the rendition.</summary>
    public bool MayWatchOriginal { get; private set; }

    /// <summary>The user's own requests to view this (classified) recording, newest first.</summary>
    public IReadOnlyList<ViewApproval> Approvals { get; private set; } = [];

    /// <summary>The newest of them a supervisor approved that has not expired: passed with the session request.</summary>
    public ViewApproval? UsableApproval { get; private set; }

    /// <summary>The player: renditions for watchers (if one was made), originals for the roles that may fetch them.</summary>
    public PlayerStage Stage => new(
        Recording.Facts.Id,
        Recording.Probe?.DurationSeconds,
        Recording.Probe?.FramesPerSecond,
        [.. new[] { (Variant: PlaybackVariant.Rendition, Offered: Recording.HasRendition), (Variant: PlaybackVariant.Original, Offered: MayWatchOriginal) }.Where(v => v.Offered).Select(v => v.Variant)],
        Recording.Facts.NeedsApproval,
        UsableApproval?.Id,
        Editable: RedactionEditorView.CanDraw(Recording.Probe));

    /// <summary>The redaction editor and this recording's redactions, for those who may watch (and so redact) it.</summary>
    public RedactionEditorView Editor => RedactionEditorView.Of(Recording);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        HttpContext.SetRecording(id);
        if (!await visibility.MaySeeAsync(User, id, cancellationToken) || await queries.DetailAsync(id, cancellationToken) is not { } recording)
        {
            return NotFound();
        }

        Recording = recording;
        Markers = await markers.OfRecordingAsync(id, cancellationToken);
        MayWatch = (await authorization.AuthorizeAsync(User, PlayerPolicies.Watch)).Succeeded;
        MayLink = (await authorization.AuthorizeAsync(User, PlayerPolicies.LinkRecordings)).Succeeded;
        MayWatchOriginal = MayWatch && (await authorization.AuthorizeAsync(User, PlayerPolicies.ReadOriginals)).Succeeded;
        if (MayWatch && recording.Facts.NeedsApproval)
        {
            Approvals = await approvals.OfRequesterAsync(User.UserId(), id, cancellationToken);
            UsableApproval = Approvals.FirstOrDefault(a => a.State == ApprovalState.Approved && a.ExpiresAt > time.GetUtcNow());
        }
        return Page();
    }
}
