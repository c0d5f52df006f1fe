using Enforcement.Media.Storage.Hosting;

namespace Enforcement.Media.Player.Hosting;

/// <summary>
/// The player's Content-Security-Policy (CSP Level 3): nothing but its own scripts, style sheets, images,
/// media, requests and form targets; never framed (<c>frame-ancestors 'none'</c>), no <c>&lt;base&gt;</c>
/// elsewhere, no plugins, and no inline script. The media stream sets a stricter one of its own
/// (<c>default-src 'none'; sandbox</c>), which stays on those answers.
/// </summary>
/// <remarks>
/// Style attributes are allowed (<c>style-src-attr 'unsafe-inline'</c>) while style elements and sheets stay
/// same-origin (<c>style-src 'self'</c>, which <c>style-src-elem</c> falls back to). The case page places
/// each timeline bar by its time span (<c>TimelineScale</c>): per-request numbers that a sheet cannot hold
/// and CSS cannot take from a data attribute in the browsers the player supports, and drawing them by
/// script would make the case page need JavaScript. An attribute style cannot run script, whatever it
/// loads is held to <c>img-src 'self'</c>, and every value Razor writes into one is encoded. The player's
/// script sets positions through the CSSOM (<c>element.style</c>), which CSP does not restrict.
/// </remarks>
public static class PlayerSecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self'; "
        + "media-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'";

    public static SecurityHeaderPolicy Policy { get; } = new(ContentSecurityPolicy, null);
}
