namespace Enforcement.Media.Storage.Recordings;

/// <summary>How a file arrived. Stored as lowercase text in <c>recording_sources.source_kind</c>.</summary>
public enum SourceKind
{
    /// <summary>Picked up by the central worker from a docked recorder's folder.</summary>
    Dock,

    /// <summary>Uploaded by a docking-station agent with its station key.</summary>
    Station,

    /// <summary>A field upload (tus) from a phone or laptop.</summary>
    Upload,

    /// <summary>Ingested by an operator with <c>ingest files</c>.</summary>
    Command,
}
