using Microsoft.Extensions.Options;

namespace Enforcement.Media.Ingest.Uploads;

/// <summary>
/// The staging folder: one file per upload, named by its id (never by anything a client sent).
/// A PATCH holds the file's exclusive lock (flock) while it writes: a second PATCH, or a DELETE, of
/// the same upload is refused instead of interleaved, across processes too, and the kernel drops
/// the lock when the holder dies, even by SIGKILL.
/// </summary>
public sealed class StagingArea
{
    // Linux errno values as .NET reports them in IOException.HResult.
    private const int WouldBlock = 11;     // EWOULDBLOCK: another handle holds the flock
    private const int NoSpace = 28;        // ENOSPC
    private const int QuotaExceeded = 122; // EDQUOT

    public StagingArea(IOptions<UploadOptions> options)
    {
        Root = Path.GetFullPath(options.Value.Folder);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string PathOf(Guid uploadId) => Path.Combine(Root, uploadId.ToString("N"));

    public void Create(Guid uploadId)
    {
        using var file = new FileStream(PathOf(uploadId), FileMode.CreateNew, FileAccess.Write, FileShare.None);
        RandomAccess.FlushToDisk(file.SafeFileHandle);
    }

    /// <summary>
    /// Opens the upload's file for writing under its exclusive lock; null while another request holds
    /// it. A missing file (lost outside this service) is created empty: the caller finds it shorter
    /// than the recorded offset and rewinds.
    /// </summary>
    public FileStream? TryOpenExclusive(Guid uploadId)
    {
        try
        {
            return new FileStream(PathOf(uploadId), new FileStreamOptions
            {
                Mode = FileMode.OpenOrCreate,
                Access = FileAccess.ReadWrite,
                Share = FileShare.None,
                BufferSize = 0,
            });
        }
        catch (IOException ex) when (ex.HResult == WouldBlock)
        {
            return null;
        }
    }

    /// <summary>Opens the finished upload for the archive to read once, start to end.</summary>
    public FileStream OpenRead(Guid uploadId) => new(PathOf(uploadId), new FileStreamOptions
    {
        Mode = FileMode.Open,
        Access = FileAccess.Read,
        Share = FileShare.Read,
        BufferSize = 0,
        Options = FileOptions.SequentialScan | FileOptions.Asynchronous,
    });

    public bool Exists(Guid uploadId) => File.Exists(PathOf(uploadId));

    public void Delete(Guid uploadId) => File.Delete(PathOf(uploadId));

    /// <summary>Bytes a non-root writer can still put on the staging disk.</summary>
    public long FreeBytes() => new DriveInfo(Root).AvailableFreeSpace;

    public static bool IsDiskFull(IOException exception) => exception.HResult is NoSpace or QuotaExceeded;
}
