namespace Enforcement.Media.Ingest.Agent;

/// <summary>
/// The ingest server answered 401 to the station's key: it is wrong or has been revoked. Nothing is
/// uploaded, receipted or deleted; every file is tried again on later scans, so the agent carries on
/// once an operator puts a valid key in place and restarts it.
/// </summary>
public sealed class StationKeyRefusedException(Uri server, Exception? inner = null) : Exception(
    $"The ingest server at {server.GetLeftPart(UriPartial.Authority)} refused the station key (401): it is wrong or has been revoked. Nothing is uploaded or deleted until {AgentOptions.Section}:Key or {AgentOptions.Section}:KeyFile holds a valid station key.",
    inner);
