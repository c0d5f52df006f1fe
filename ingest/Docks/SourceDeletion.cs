namespace Enforcement.Media.Ingest.Docks;

/// <summary>
/// What happens to a docked file once the archive holds it (<c>Docks:SourceDeletion</c>).
/// A file on a recorder is deleted only after its receipt exists, the catalogue row is
/// committed and the stored object's SHA-256 was verified. <see cref="SourceRelease"/> is the only
/// code that deletes, and it checks all of that itself.
/// </summary>
public enum SourceDeletion
{
    /// <summary>Sources are never deleted; the receipt alone stops a second ingest.</summary>
    Never,

    /// <summary>
    /// A source is deleted after its receipt is durably written, the archive committed it, the stored
    /// copy was read back with the same SHA-256, and the delivery was not quarantined.
    /// </summary>
    AfterVerified,
}
