namespace Enforcement.Media.Ingest.Docks;

/// <summary>
/// The sidecar values that could be read for a file, and what could not be read (each problem
/// names the sidecar and the reason). Problems never stop the file from being ingested.
/// </summary>
public sealed record SidecarRead(SidecarValues Values, IReadOnlyList<string> Problems);
