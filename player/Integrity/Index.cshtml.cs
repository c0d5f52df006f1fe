using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Player.Visibility;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enforcement.Media.Player.Integrity;

/// <summary>
/// The integrity of the evidence, for supervisors: originals whose latest fixity check failed, deliveries
/// quarantined because their source's hash did not match, the audit trail's last verification, and alerts the
/// outside world never acknowledged.
/// </summary>
[Authorize(Policy = PlayerPolicies.ReadIntegrity)]
public sealed class IndexModel(IntegrityQueries integrity) : PageModel
{
    public IntegrityReport Report { get; private set; } = new(null, [], [], null, []);

    public async Task OnGetAsync(CancellationToken cancellationToken) => Report = await integrity.ReportAsync(Viewer.Of(User), cancellationToken);
}
