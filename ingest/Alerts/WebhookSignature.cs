using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Enforcement.Media.Ingest.Alerts;

/// <summary>
/// The signature of an alert's POST, in the shape Stripe's webhooks made common:
/// <c>X-EM-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</c>, where the hex is HMAC-SHA256 (RFC 2104) keyed with the
/// webhook's secret over the ASCII timestamp, a full stop, and the body's exact bytes. Signing the time with
/// the body lets a receiver refuse an old request replayed; the event id in the body lets it take a retry once.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "X-EM-Signature";

    public static string HeaderValue(string secret, long unixSeconds, ReadOnlySpan<byte> body) =>
        string.Create(CultureInfo.InvariantCulture, $"t={unixSeconds},v1={Compute(secret, unixSeconds, body)}");

    /// <summary>Lowercase hex HMAC-SHA256 of <c>"&lt;t&gt;." + body</c>.</summary>
    public static string Compute(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{unixSeconds}."));
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }
}
