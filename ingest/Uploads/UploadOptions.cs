namespace Enforcement.Media.Ingest.Uploads;

/// <summary>Configuration section <c>Uploads</c>: the tus server at <c>/api/v1/uploads</c>.</summary>
public sealed class UploadOptions
{
    public const string Section = "Uploads";

    /// <summary>Staging folder for bytes received and not yet archived. Relative paths are under the working directory.</summary>
    public string Folder { get; set; } = ".data/uploads";

    /// <summary>Largest upload accepted (advertised as <c>Tus-Max-Size</c>; larger ones get 413). Default 64 GiB.</summary>
    public long MaxSizeBytes { get; set; } = 64L * 1024 * 1024 * 1024;

    /// <summary>
    /// Free space the staging disk must keep after the bytes an upload still has to send: a request
    /// that would eat into it is refused with 507 before the disk fills. Default 1 GiB.
    /// </summary>
    public long MinimumFreeBytes { get; set; } = 1024L * 1024 * 1024;

    /// <summary>
    /// During a long PATCH without <c>Upload-Checksum</c>, the bytes received are fsynced and the
    /// offset recorded every this many bytes, so a server crash loses at most this much. Default 32 MiB.
    /// </summary>
    public long CheckpointBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>
    /// tus expiration: an unfinished upload nobody advanced for this long is ended and its staged bytes
    /// removed (the client starts afresh; its source still holds the file). Announced to clients as
    /// <c>Upload-Expires</c>. Default 7 days: a field officer back from a week without network resumes.
    /// </summary>
    public TimeSpan ExpireAfter { get; set; } = TimeSpan.FromDays(7);
}
