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
    /// Bytes one key may have pending on the staging disk: the <c>Upload-Length</c> of its uploads not
    /// yet archived (unfinished, or finished and waiting for the archive job). A create that would go
    /// past it is refused (507) and nothing is created, so one key — a lost phone, a misbehaving
    /// agent — cannot take the staging disk from every other station. Default 64 GiB: one file of the
    /// largest size (<see cref="MaxSizeBytes"/>), or any number of ordinary ones adding up to as
    /// much (a recorder's files are a few GB each, and a station agent sends two at once). It must be
    /// at least <see cref="MaxSizeBytes"/>, or a file of the largest size could never be uploaded.
    /// </summary>
    public long MaxPendingBytesPerKey { get; set; } = 64L * 1024 * 1024 * 1024;

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

    /// <summary>
    /// An upload that received no byte for this long after its creation is ended like an expired one,
    /// its reservation with it: a create that sends only headers holds staging space for minutes, not
    /// for <see cref="ExpireAfter"/>. Default 15 minutes: a client starts sending right after it creates.
    /// </summary>
    public TimeSpan ExpireUnstartedAfter { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// A started upload that received no byte for this long keeps its bytes and stays resumable until
    /// <see cref="ExpireAfter"/>, but no longer reserves staging space for the rest of its length;
    /// when it resumes, the rest must fit again beside every live reservation and
    /// <see cref="MinimumFreeBytes"/>, or the PATCH is refused (507) and the bytes it has are kept.
    /// Default 1 hour: a connection that dropped comes back within it, an upload given up on stops
    /// holding space that other stations need.
    /// </summary>
    public TimeSpan ReleaseIdleReservationAfter { get; set; } = TimeSpan.FromHours(1);
}
