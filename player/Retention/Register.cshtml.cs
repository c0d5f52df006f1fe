using System.Globalization;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Player.Display;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enforcement.Media.Player.Retention;

/// <summary>
/// The destruction register (销毁清册) of a period as a page to print on A4: every recording disposed of, with
/// both records managers, the rule and the store's confirmation. Opened without a period, it shows this
/// month (UTC) so far; the same period downloads as CSV.
/// </summary>
[Authorize(Policy = PlayerPolicies.ManageRetention)]
public sealed class RegisterModel(DestructionRegister register, LocalClock clock, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    public IReadOnlyList<DestructionRegisterEntry> Entries { get; private set; } = [];

    public string? Error { get; private set; }

    /// <summary>The period as a query string, for the CSV link.</summary>
    public string Query => QueryString.Create(new Dictionary<string, string?> { ["from"] = From, ["to"] = To }.Where(p => !string.IsNullOrWhiteSpace(p.Value))).ToString();

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(From) && string.IsNullOrWhiteSpace(To))
        {
            var today = DateOnly.FromDateTime(clock.Local(time.GetUtcNow()).DateTime);
            From = new DateOnly(today.Year, today.Month, 1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            To = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }

        try
        {
            var (from, to) = DestructionRegister.Period(From, To, clock);
            Entries = await register.ListAsync(from, to, cancellationToken);
        }
        catch (RetentionRequestException ex)
        {
            Error = ex.Message;
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        return Page();
    }
}
