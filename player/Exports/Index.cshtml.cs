using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Player.Refusals;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enforcement.Media.Player.Exports;

/// <summary>A user's own export requests (with the one download when ready) and the form that makes a new one.</summary>
[Authorize(Policy = ExportPolicies.Request)]
public sealed class IndexModel(ExportStore store, ExportService exports, ExportSigner signer, IAuthorizationService authorization) : PageModel
{
    public IReadOnlyList<ExportRequest> Mine { get; private set; } = [];

    public bool Enabled => signer.IsConfigured;

    /// <summary>Recording ids, one per line (or separated by commas or spaces).</summary>
    [BindProperty(SupportsGet = true)]
    public string? Recordings { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public string? Recipient { get; set; }

    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => Mine = await store.OfRequesterAsync(User.UserId(), 200, cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        try
        {
            var ids = (Recordings ?? string.Empty).Split([',', ';', ' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries);
            var id = await exports.RequestAsync(ExportPrincipal.Of(User), await ExportEndpoints.MayReceiveOriginalsAsync(authorization, HttpContext), ids, Reason, Recipient, cancellationToken);
            return LocalRedirect($"/exports/{id}");
        }
        catch (ExportRefusedException ex)
        {
            Error = ex.Message;
            Response.StatusCode = RefusalStatus.Of(ex.Kind, StatusCodes.Status422UnprocessableEntity);
        }

        Mine = await store.OfRequesterAsync(User.UserId(), 200, cancellationToken);
        return Page();
    }
}
