using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Player.Approvals;
using Enforcement.Media.Player.Visibility;
using Enforcement.Media.Storage.Publications;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Player.Publications;

/// <summary>
/// Supervisors decide on requests to publish footage they may see: approve (for a number of days) or refuse,
/// always with a reason, never their own request, and approve only once the watermarked copy is made.
/// Before deciding they watch the redacted output it was made from, on the redaction's page.
/// </summary>
[Authorize(Policy = PlayerPolicies.Approve)]
public sealed class ApprovalsModel(PublicationStore store, PublicationService publications, IOptions<PublicationOptions> options) : DecisionPageModel
{
    public IReadOnlyList<PublicationRecord> Pending { get; private set; } = [];

    [BindProperty]
    public Guid PublicationId { get; set; }

    /// <summary>How long an approved item stays public; the default when not given.</summary>
    [BindProperty]
    public int? Days { get; set; }

    public PublicationOptions Options => options.Value;

    protected override async Task<string> DecideAsync(bool approve, string? reason, CancellationToken cancellationToken)
    {
        await publications.DecideAsync(Viewer.Of(User), PublicationId, new PublicationDecision(approve, reason, approve ? Days : null), cancellationToken);
        return approve ? "pub.approved-done" : "pub.refused-done";
    }

    protected override async Task LoadAsync(CancellationToken cancellationToken) =>
        Pending = await store.ListAsync(RecordingVisibility.For(Viewer.Of(User)), PublicationState.Requested, PublicationEndpoints.MaxListed, cancellationToken);
}
