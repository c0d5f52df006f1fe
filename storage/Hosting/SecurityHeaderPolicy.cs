namespace Enforcement.Media.Storage.Hosting;

/// <summary>What differs between the apps' security headers: the Content-Security-Policy, and a Cache-Control for every answer (null: none added).</summary>
public sealed record SecurityHeaderPolicy(string ContentSecurityPolicy, string? CacheControl);
