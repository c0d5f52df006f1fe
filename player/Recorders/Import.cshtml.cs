using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Player.Visibility;
using Enforcement.Media.Storage.Recorders;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enforcement.Media.Player.Recorders;

/// <summary>Imports a register CSV (<see cref="RecorderCsv"/>) uploaded from the browser: all of it, or nothing and every problem by line.</summary>
[Authorize(Policy = PlayerPolicies.ManageRecorders)]
public sealed class ImportModel(RecorderService recorders) : PageModel
{
    [BindProperty]
    public IFormFile? Upload { get; set; }

    public RecorderSaveReport? Report { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (Upload is null)
        {
            Report = new RecorderSaveReport(0, 0, 0, [new RecorderProblem(0, "file", "choose a CSV file")]);
        }
        else
        {
            using var reader = new StreamReader(Upload.OpenReadStream());
            Report = await recorders.ImportAsync(Viewer.Of(User), reader, cancellationToken);
        }

        if (!Report.Saved)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        return Page();
    }
}
