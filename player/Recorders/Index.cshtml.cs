using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Player.Visibility;
using Enforcement.Media.Storage.Recorders;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enforcement.Media.Player.Recorders;

/// <summary>
/// The recorder register (执法记录仪台账) of the user's unit tree, filterable by unit, status and text, with
/// the serials that recordings carry but nobody registered, and the ways in and out (CSV).
/// </summary>
[Authorize(Policy = PlayerPolicies.ReadRecorders)]
public sealed class IndexModel(RecorderService recorders, IAuthorizationService authorization) : PageModel
{
    public const int PageRows = 500;

    public const int UnregisteredShown = 20;

    [BindProperty(SupportsGet = true, Name = "unit")]
    public string? Unit { get; set; }

    [BindProperty(SupportsGet = true, Name = "status")]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Text { get; set; }

    public IReadOnlyList<RecorderRecord> Recorders { get; private set; } = [];

    public IReadOnlyList<UnregisteredSerial> Unregistered { get; private set; } = [];

    public long UnregisteredCount { get; private set; }

    public bool CanManage { get; private set; }

    public string Query => Request.QueryString.Value ?? string.Empty;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var viewer = Viewer.Of(User);
        Recorders = await recorders.ListAsync(viewer, new RecorderFilter(Unit, Status, Text), PageRows, cancellationToken);
        UnregisteredCount = await recorders.UnregisteredCountAsync(viewer, cancellationToken);
        Unregistered = await recorders.UnregisteredAsync(viewer, UnregisteredShown, cancellationToken);
        CanManage = (await authorization.AuthorizeAsync(User, PlayerPolicies.ManageRecorders)).Succeeded;
    }
}
