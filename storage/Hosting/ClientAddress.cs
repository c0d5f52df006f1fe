using Microsoft.AspNetCore.Http;

namespace Enforcement.Media.Storage.Hosting;

/// <summary>
/// The client's address as the audit trail, the ledger and the sign-in counts record it: the connection's
/// peer, which behind a trusted proxy is the client the proxy forwarded for (<see cref="TrustedProxyOptions"/>).
/// </summary>
public static class ClientAddress
{
    public const string Unknown = "unknown";

    public static string Of(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? Unknown;
}
