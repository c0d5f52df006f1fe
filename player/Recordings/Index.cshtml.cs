using System.Globalization;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Player.Display;
using Enforcement.Media.Player.Visibility;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enforcement.Media.Player.Recordings;

/// <summary>
/// Recording search: footage by officer, recorder, unit, time, case link, state and name or hash, among the
/// recordings the user may see — linked to a case or not. The same filter and query as the API.
/// </summary>
[Authorize(Policy = PlayerPolicies.ReadCases)]
public sealed class IndexModel(RecordingSearch search, LocalClock clock, IAuthorizationService authorization) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Officer { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Recorder { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Unit { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Linked { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? State { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    /// <summary>
    /// The <c>page</c> token, read from the query by hand: Razor Pages keep the page's own path under the
    /// route value named "page", which model binding would find first.
    /// </summary>
    public string? PageToken => Request.Query["page"].FirstOrDefault();

    [BindProperty(SupportsGet = true)]
    public string? PageSize { get; set; }

    /// <summary>The filters the statistics drill down by; the page keeps them (hidden) when the form is sent again.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Subunits { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? StartSource { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? DelayOver { get; set; }

    /// <summary>The drill-down filters given, by name, to keep in the form and show above the list.</summary>
    public IEnumerable<KeyValuePair<string, string>> DrillDown =>
        new Dictionary<string, string?> { ["subunits"] = Subunits, ["startSource"] = StartSource, ["delayOver"] = DelayOver }
            .Where(p => !string.IsNullOrWhiteSpace(p.Value))
            .Select(p => KeyValuePair.Create(p.Key, p.Value!));

    public RecordingSearchPage? Found { get; private set; }

    /// <summary>The user's role may link footage to a case by hand: each row offers it.</summary>
    public bool MayLink { get; private set; }

    /// <summary>The query parameter the search refused, or null.</summary>
    public string? RefusedField { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        MayLink = (await authorization.AuthorizeAsync(User, PlayerPolicies.LinkRecordings)).Succeeded;
        RecordingFilter filter;
        try
        {
            filter = RecordingFilter.Parse(Input, clock);
        }
        catch (RecordingSearchRefusedException refused)
        {
            RefusedField = refused.Field;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        Found = await search.FindAsync(Viewer.Of(User), filter, cancellationToken);
    }

    private RecordingSearchInput Input => new(Officer, Recorder, Unit, From, To, Linked, State, Q, PageToken, PageSize, Subunits, StartSource, DelayOver);

    /// <summary>This search from its first page (<paramref name="page"/> null) or from the page a token names.</summary>
    public string Link(string? page)
    {
        var query = new Dictionary<string, string?>
        {
            ["officer"] = Officer,
            ["recorder"] = Recorder,
            ["unit"] = Unit,
            ["from"] = From,
            ["to"] = To,
            ["linked"] = Linked,
            ["state"] = State,
            ["q"] = Q,
            ["pageSize"] = PageSize,
            ["subunits"] = Subunits,
            ["startSource"] = StartSource,
            ["delayOver"] = DelayOver,
            ["page"] = page,
        };
        return "/recordings" + QueryString.Create(query.Where(p => !string.IsNullOrWhiteSpace(p.Value)));
    }

    /// <summary><c>h:mm:ss</c>; a dash when the probe gave no duration.</summary>
    public static string Duration(double? seconds) =>
        seconds is { } s ? TimeSpan.FromSeconds(Math.Round(s)).ToString(s >= 3600 ? @"h\:mm\:ss" : @"m\:ss", CultureInfo.InvariantCulture) : "—";

    /// <summary>Bytes as MiB with one decimal (KiB under one MiB): enough to tell files apart in a list.</summary>
    public static string Size(long bytes) =>
        bytes >= 1024 * 1024
            ? (bytes / 1024.0 / 1024.0).ToString("0.0 'MiB'", CultureInfo.InvariantCulture)
            : (bytes / 1024.0).ToString("0.0 'KiB'", CultureInfo.InvariantCulture);
}
