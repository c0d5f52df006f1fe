namespace Enforcement.Media.Ingest.Docks;

/// <summary>
/// Size and last-write time of a file: what "stable" and "already receipted" are judged by.
/// The time keeps full precision (100 ns ticks), so a rewrite within the same second still differs.
/// </summary>
public readonly record struct FileSignature(long Size, DateTimeOffset ModifiedAt)
{
    /// <summary>The file's signature now, or null when it no longer exists.</summary>
    public static FileSignature? Of(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? new FileSignature(info.Length, new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero)) : null;
    }

    /// <summary>Equal sizes and equal instants (offsets aside: a receipt read back carries its own).</summary>
    public bool SameAs(FileSignature other) => Size == other.Size && ModifiedAt.UtcTicks == other.ModifiedAt.UtcTicks;
}
