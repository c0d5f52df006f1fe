using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Player.Refusals;
using Enforcement.Media.Player.Visibility;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enforcement.Media.Player.Statistics;

/// <summary>
/// The rows behind one number of the statistics that has no list elsewhere — activities, approvals, exports,
/// dispositions, fixity findings —, selected by the figure's own conditions (<see cref="StatisticsRows"/>).
/// </summary>
[Authorize(Policy = PlayerPolicies.ReadStatistics)]
public sealed class RowsModel(StatisticsCalendar calendar, StatisticsRows rows, IAuthorizationService authorization) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Figure { get; set; }

    /// <summary>The statistics' own filters, as asked (the query string, read whole).</summary>
    [BindProperty(SupportsGet = true)]
    public StatisticsInput Asked { get; set; } = new();

    public StatisticsRowsFilter? Filter { get; private set; }

    public StatisticsRowsPage? Found { get; private set; }

    public StatisticsRefusedException? Refused { get; private set; }

    /// <summary>The statistics these rows were counted in, to go back to.</summary>
    public string Back => "/statistics" + QueryString.Create(new Dictionary<string, string?>
    {
        ["from"] = Asked.From,
        ["to"] = Asked.To,
        ["unit"] = Asked.Unit,
        ["subunits"] = Asked.Subunits,
        ["officer"] = Asked.Officer,
        ["recorder"] = Asked.Recorder,
    }.Where(p => !string.IsNullOrWhiteSpace(p.Value)));

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        try
        {
            Filter = calendar.Rows(Figure, Asked);
            Found = await rows.ListAsync(Viewer.Of(User), Filter, await StatisticsEndpoints.MayReadOversightAsync(authorization, User), cancellationToken);
        }
        catch (StatisticsRefusedException refused)
        {
            Refused = refused;
            Response.StatusCode = RefusalStatus.Of(refused.Kind);
        }
    }
}
