using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Enforcement.Media.Storage.Hosting;

/// <summary>
/// Puts the security headers on every response of a web app — pages, APIs, redirects, errors, static
/// files — as it starts, so an endpoint that sets its own (the media stream's stricter policy, an
/// endpoint's own cache rule) keeps it. <c>Strict-Transport-Security</c> goes only on HTTPS requests
/// (RFC 6797 §7.2: a host cannot pin HTTPS over plain HTTP); behind a TLS-terminating proxy the request
/// is HTTPS once <see cref="TrustedProxyOptions"/> trusts the proxy.
/// </summary>
public sealed class SecurityHeaders(RequestDelegate next, SecurityHeaderPolicy policy)
{
    /// <summary>A year, renewed by every HTTPS answer. Not for subdomains: the agency's other hosts are not this app's to pin.</summary>
    public const string StrictTransportSecurity = "max-age=31536000";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.TryAdd(HeaderNames.ContentSecurityPolicy, policy.ContentSecurityPolicy);
            headers.TryAdd(HeaderNames.XContentTypeOptions, "nosniff");
            headers.TryAdd(HeaderNames.XFrameOptions, "DENY"); // frame-ancestors 'none' for browsers before CSP 2
            headers.TryAdd("Referrer-Policy", "no-referrer"); // URLs name cases and recordings: none leaves with a link
            if (policy.CacheControl is { } cacheControl)
            {
                headers.TryAdd(HeaderNames.CacheControl, cacheControl);
            }

            if (context.Request.IsHttps)
            {
                headers.TryAdd(HeaderNames.StrictTransportSecurity, StrictTransportSecurity);
            }

            return Task.CompletedTask;
        });
        return next(context);
    }
}
