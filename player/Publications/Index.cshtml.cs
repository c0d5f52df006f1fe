using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Player.Refusals;
using Enforcement.Media.Player.Visibility;
using Enforcement.Media.Storage.Publications;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enforcement.Media.Player.Publications;

/// <summary>
/// 公示: the publications of footage the user may see — requested, published, refused, withdrawn — with
/// the withdrawal of what is published, and the rendered redactions there are to publish. For everyone
/// who may ask for a publication: watchers, supervisors and the publication office.
/// </summary>
[Authorize(Policy = PlayerPolicies.Publish)]
public sealed class IndexModel(PublicationStore store, PublicationService publications, ReadyRedactions ready, IAuthorizationService authorization) : PageModel
{
    public const int MaxReady = 100;

    public static readonly IReadOnlyList<string> States = [PublicationState.Requested, PublicationState.Published, PublicationState.Refused, PublicationState.Withdrawn];

    /// <summary>Only publications in this state; all when empty.</summary>
    [BindProperty(SupportsGet = true)]
    public string? State { get; set; }

    [BindProperty]
    public Guid PublicationId { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    public PublicationList List { get; private set; } = null!;

    public IReadOnlyList<ReadyRedaction> Ready { get; private set; } = [];

    public bool MayApprove { get; private set; }

    public string? Error { get; private set; }

    public bool Withdrawn { get; private set; }

    public Task OnGetAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostWithdrawAsync(CancellationToken cancellationToken)
    {
        try
        {
            await publications.WithdrawAsync(Viewer.Of(User), PublicationId, new PublicationWithdrawal(Reason), cancellationToken);
            Withdrawn = true;
        }
        catch (RefusedException ex)
        {
            Error = ex.Message;
            Response.StatusCode = RefusalStatus.Of(ex.Kind);
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var viewer = Viewer.Of(User);
        var state = States.Contains(State) ? State : null;
        MayApprove = await MayAsync(PlayerPolicies.Approve);
        var items = await store.ListAsync(RecordingVisibility.For(viewer), state, PublicationEndpoints.MaxListed, cancellationToken);
        List = new PublicationList(items, viewer.UserId, MayApprove, MayWithdraw: true, await MayAsync(PlayerPolicies.ReadCases));
        Ready = await ready.ListAsync(viewer, MaxReady, cancellationToken);
    }

    private async Task<bool> MayAsync(string policy) => (await authorization.AuthorizeAsync(User, policy)).Succeeded;
}
