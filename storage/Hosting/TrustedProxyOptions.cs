using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;

namespace Enforcement.Media.Storage.Hosting;

/// <summary>
/// Configuration section <c>ForwardedHeaders</c>: the TLS-terminating proxies (nginx, a load balancer)
/// whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> the web apps believe. Empty, the default,
/// believes no one: the connection's own address and scheme are what is logged, audited and ledgered.
/// </summary>
public sealed class TrustedProxyOptions
{
    public const string Section = "ForwardedHeaders";

    /// <summary>Addresses of trusted proxies, e.g. <c>10.0.0.5</c>, <c>::1</c>.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks of trusted proxies in CIDR notation, e.g. <c>10.0.0.0/24</c>.</summary>
    public string[] KnownNetworks { get; set; } = [];

    public bool Enabled => KnownProxies.Length > 0 || KnownNetworks.Length > 0;

    /// <summary>Why the settings cannot be used, naming the key and the value; null when they can.</summary>
    public string? Problem() =>
        KnownProxies.FirstOrDefault(p => !IPAddress.TryParse(p, out _)) is { } proxy
            ? $"{Section}:KnownProxies: '{proxy}' is not an IP address."
            : KnownNetworks.FirstOrDefault(n => !System.Net.IPNetwork.TryParse(n, out _)) is { } network
                ? $"{Section}:KnownNetworks: '{network}' is not a network in CIDR notation (e.g. 10.0.0.0/24)."
                : null;

    /// <summary>
    /// Believes <c>X-Forwarded-For</c> and <c>-Proto</c> hop by hop from the right, for as long as each hop
    /// is a trusted proxy (no fixed limit, so a chain of trusted proxies works; the first untrusted hop
    /// ends it, so a client cannot forge its own address or scheme). The framework's default trust of
    /// loopback is dropped: only what is configured here is trusted.
    /// </summary>
    public void ApplyTo(ForwardedHeadersOptions forwarded)
    {
        forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        forwarded.ForwardLimit = null;
        forwarded.KnownProxies.Clear();
        forwarded.KnownIPNetworks.Clear();
        foreach (var proxy in KnownProxies)
        {
            forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
        }

        foreach (var network in KnownNetworks)
        {
            forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        }
    }
}
