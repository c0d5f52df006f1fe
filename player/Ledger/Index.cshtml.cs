using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Player.Display;
using Enforcement.Media.Player.Playback;
using Enforcement.Media.Player.Refusals;
using Enforcement.Media.Player.Visibility;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enforcement.Media.Player.Ledger;

/// <summary>The access ledger page (调阅台账): every viewing of footage the supervisor may see, filterable, with what was watched.</summary>
[Authorize(Policy = PlayerPolicies.ReadLedger)]
public sealed class IndexModel(LedgerStore ledger, LocalClock clock) : PageModel
{
    public const int PageRows = 500;

    [BindProperty(SupportsGet = true, Name = "case")]
    public string? CaseNumber { get; set; }

    [BindProperty(SupportsGet = true, Name = "recording")]
    public string? Recording { get; set; }

    [BindProperty(SupportsGet = true, Name = "user")]
    public string? UserName { get; set; }

    [BindProperty(SupportsGet = true, Name = "from")]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true, Name = "to")]
    public string? To { get; set; }

    public IReadOnlyList<LedgerEntry> Entries { get; private set; } = [];

    public string? Error { get; private set; }

    public string Query => Request.QueryString.Value ?? string.Empty;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        try
        {
            Entries = await ledger.ListAsync(Viewer.Of(User), LedgerFilter.Parse(CaseNumber, Recording, UserName, From, To, clock), PageRows, cancellationToken);
        }
        catch (PlaybackRefusedException ex)
        {
            Error = ex.Message;
            Response.StatusCode = RefusalStatus.Of(ex.Kind, StatusCodes.Status400BadRequest);
        }
    }
}
