namespace Enforcement.Media.Player.Ledger;

/// <summary>
/// The ledger's filters as typed: the query string of <c>GET /api/v1/ledger</c>, its CSV and the <c>/ledger</c>
/// page, before <see cref="LedgerFilter.Parse"/> reads it. Blank means "any".
/// </summary>
public sealed record LedgerInput(
    string? Case = null,
    string? Recording = null,
    string? User = null,
    string? From = null,
    string? To = null,
    string? Unit = null,
    string? Subunits = null,
    string? Officer = null,
    string? Recorder = null,
    string? Role = null,
    string? Reason = null);
