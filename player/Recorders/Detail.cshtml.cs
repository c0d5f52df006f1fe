using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Player.Visibility;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enforcement.Media.Player.Recorders;

/// <summary>
/// One recorder: its entry, what its deliveries say, and every officer who held it when. A manager gets the
/// handover form here (it posts to <see cref="EditModel"/>, which only managers reach).
/// </summary>
[Authorize(Policy = PlayerPolicies.ReadRecorders)]
public sealed class DetailModel(RecorderService recorders, IAuthorizationService authorization) : PageModel
{
    public RecorderDetail Detail { get; private set; } = null!;

    public bool CanManage { get; private set; }

    public async Task<IActionResult> OnGetAsync(string serial, CancellationToken cancellationToken)
    {
        try
        {
            Detail = await recorders.DetailAsync(Viewer.Of(User), serial, cancellationToken);
        }
        catch (RecorderRefusedException)
        {
            return NotFound();
        }

        CanManage = (await authorization.AuthorizeAsync(User, PlayerPolicies.ManageRecorders)).Succeeded;
        return Page();
    }
}
