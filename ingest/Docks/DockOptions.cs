namespace Enforcement.Media.Ingest.Docks;

/// <summary>Configuration section <c>Docks</c>: the central dock watcher and the recorder conventions it reads.</summary>
public sealed class DockOptions
{
    public const string Section = "Docks";

    /// <summary>
    /// Folders where docked recorders appear. Each subfolder is a bay or a recorder (e.g. a USB
    /// mass-storage mount) and is scanned recursively. Empty: the watcher does nothing.
    /// </summary>
    public IList<string> Roots { get; set; } = [];

    /// <summary>How often the roots are scanned.</summary>
    public TimeSpan ScanInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A file is picked up only after its size and mtime (and those of its sidecars) stayed the same
    /// for this long, so a file still being copied is never read.
    /// </summary>
    public TimeSpan StableFor { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Files archived at once.</summary>
    public int Concurrency { get; set; } = 2;

    /// <summary>
    /// IANA zone of the recorders' clocks: GA/T 947 file names carry local time without an offset.
    /// </summary>
    public string RecorderTimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>
    /// Folder (relative to each root) where receipts are written, mirroring each file's relative path.
    /// It is never scanned.
    /// </summary>
    public string ReceiptsFolder { get; set; } = "receipts";

    public SourceDeletion SourceDeletion { get; set; } = SourceDeletion.Never;

    /// <summary>Longest wait before a file that failed is tried again (the wait doubles from <see cref="ScanInterval"/>).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The zone named by <see cref="RecorderTimeZone"/>; null when the system does not know it.</summary>
    public TimeZoneInfo? FindRecorderZone() =>
        TimeZoneInfo.TryFindSystemTimeZoneById(RecorderTimeZone, out var zone) ? zone : null;
}
