namespace Enforcement.Media.Storage.Stations;

/// <summary>Who holds a key. Stored as lowercase text in <c>api_keys.kind</c>.</summary>
public enum ApiKeyKind
{
    /// <summary>A docking-station PC's agent: its uploads become <c>station</c> sources.</summary>
    Station,

    /// <summary>A phone, laptop or interview-room camera: its uploads become <c>upload</c> sources.</summary>
    Device,

    /// <summary>The agency's case system, creating and updating cases through <c>/api/v1/cases</c>; it cannot upload.</summary>
    CaseSystem,
}
