using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Player.Accounts;

/// <summary>
/// Remembers a browser that signed in as a user (a "device cookie", OWASP: Slow Down Online Guessing
/// Attacks with Device Cookies): sign-ins for that user from it are exempt from the per-username wait,
/// so guesses at a user's password from elsewhere cannot keep the user out of their own browser. The
/// cookie holds only the user's id, protected and time-limited by the cookie keys; it is no credential.
/// </summary>
public sealed class KnownDevices(IDataProtectionProvider protection, IOptions<AccountOptions> options, TimeProvider time)
{
    public const string CookieName = "em.device";
    private readonly ITimeLimitedDataProtector _protector = protection.CreateProtector("Enforcement.Media.Player.KnownDevice.v1").ToTimeLimitedDataProtector();

    /// <summary>The user this browser signed in as before, or null.</summary>
    public Guid? UserOf(HttpContext context)
    {
        if (context.Request.Cookies[CookieName] is not { Length: > 0 and < 1024 } cookie)
        {
            return null;
        }

        try
        {
            var text = _protector.Unprotect(cookie, out var expiration);
            return expiration > time.GetUtcNow() && Guid.TryParse(text, CultureInfo.InvariantCulture, out var id) ? id : null;
        }
        catch (CryptographicException)
        {
            return null; // forged, from another deployment, or expired: simply not known
        }
    }

    public void Remember(HttpContext context, Guid userId)
    {
        var lifetime = options.Value.KnownDeviceLifetime;
        var expires = time.GetUtcNow() + lifetime;
        context.Response.Cookies.Append(CookieName, _protector.Protect(userId.ToString(), expires), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            MaxAge = lifetime,
            IsEssential = true,
        });
    }
}
