using System.Net;

namespace Enforcement.Media.Ingest.Agent;

/// <summary>
/// The ingest server refused the station's key: 401, it is wrong or has been revoked; 403, it is a key
/// of another kind (a device's or the case system's), which may not deliver for a station. Neither is
/// retried. Nothing is uploaded, receipted or deleted; every file is tried again on later scans, so the
/// agent carries on once an operator puts a valid station key in place and restarts it.
/// </summary>
public sealed class StationKeyRefusedException(Uri server, HttpStatusCode status, Exception? inner = null) : Exception(
    $"The ingest server at {server.GetLeftPart(UriPartial.Authority)} refused the station key ({(int)status}): "
    + (status == HttpStatusCode.Forbidden ? "it is not a station key (a device or case-system key may not deliver for a station)" : "it is wrong or has been revoked")
    + $". Nothing is uploaded or deleted until {AgentOptions.Section}:Key or {AgentOptions.Section}:KeyFile holds a valid station key.",
    inner)
{
    /// <summary>The statuses that mean the key itself was refused.</summary>
    public static bool Refuses(HttpStatusCode? status) => status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;
}
