using System.Globalization;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Player.Display;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enforcement.Media.Player.Cases;

/// <summary>Case search: by case number, officer, device serial and date range, among the cases the user may see.</summary>
[Authorize(Policy = PlayerPolicies.ReadCases)]
public sealed class IndexModel(CaseQueries queries, LocalClock clock) : PageModel
{
    public const int Limit = 200;

    [BindProperty(SupportsGet = true, Name = "number")]
    public string? CaseNumber { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Officer { get; set; }

    [BindProperty(SupportsGet = true, Name = "device")]
    public string? DeviceSerial { get; set; }

    /// <summary><c>yyyy-MM-dd</c>, a day of the display time zone.</summary>
    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    public IReadOnlyList<CaseHit> Hits { get; private set; } = [];

    /// <summary>The key of the words that say what is wrong with the filter, or null.</summary>
    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (!TryDay(From, out var from) || !TryDay(To, out var to))
        {
            Error = "rv.bad-date";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        if (from is not null && to is not null && to < from)
        {
            Error = "rv.bad-range";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var filter = new CaseFilter(
            Clean(CaseNumber), Clean(Officer), Clean(DeviceSerial), from is { } first ? clock.StartOf(first) : null, to is { } last ? clock.StartOf(last.AddDays(1)) : null);
        Hits = await queries.SearchAsync(filter, User.UserId(), User.UnitCode(), Limit, cancellationToken);
    }

    /// <summary>Blank means "any"; what is typed is capped, since no real case number or serial is that long.</summary>
    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim()[..Math.Min(value.Trim().Length, 200)];

    private static bool TryDay(string? text, out DateOnly? day)
    {
        day = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            day = parsed;
            return true;
        }

        return false;
    }
}
