using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Storage.Stations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enforcement.Media.Player.Admin;

/// <summary>
/// API keys of docking stations, devices and the case system: list, create (the token is shown once, in
/// this response only), revoke (effective on the key's next request). <see cref="ApiKeyStore"/> audits both.
/// </summary>
[Authorize(Policy = PlayerPolicies.Administer)]
public sealed class StationKeysModel(ApiKeyStore keys) : PageModel
{
    public IReadOnlyList<ApiKey> Keys { get; private set; } = [];

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Kind { get; set; }

    [BindProperty]
    public string? StationId { get; set; }

    [BindProperty]
    public Guid KeyId { get; set; }

    public string? Error { get; private set; }

    public string? Done { get; private set; }

    /// <summary>The token of a key just created: shown in this response and never again.</summary>
    public IssuedApiKey? Issued { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => Keys = await keys.ListAsync(cancellationToken);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken cancellationToken)
    {
        if (!Enum.TryParse<ApiKeyKind>(Kind, ignoreCase: true, out var kind) || !Enum.IsDefined(kind) || int.TryParse(Kind, out _))
        {
            return await FailAsync("A key's kind is station, device or casesystem.", cancellationToken);
        }

        if (StationId is { Length: > 100 })
        {
            return await FailAsync("A station id is at most 100 characters.", cancellationToken);
        }

        try
        {
            var name = Name ?? string.Empty;
            Issued = await keys.CreateAsync(name, kind, StationId ?? (kind == ApiKeyKind.Station ? name.Trim() : null), User.Actor(), cancellationToken);
            Done = "admin.key-created";
        }
        catch (ApiKeyException ex)
        {
            return await FailAsync(ex.Message, cancellationToken);
        }

        Keys = await keys.ListAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(CancellationToken cancellationToken)
    {
        var revoked = await keys.RevokeAsync(KeyId.ToString(), User.Actor(), cancellationToken);
        if (revoked is null)
        {
            return await FailAsync("There is no such key.", cancellationToken);
        }

        Done = "admin.key-revoked";
        Keys = await keys.ListAsync(cancellationToken);
        return Page();
    }

    private async Task<IActionResult> FailAsync(string message, CancellationToken cancellationToken)
    {
        Error = message;
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        Keys = await keys.ListAsync(cancellationToken);
        return Page();
    }
}
