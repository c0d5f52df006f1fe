namespace Enforcement.Media.Ingest.Media.Derivatives;

/// <summary>
/// A private folder for one job attempt, where ffmpeg writes before the result is streamed into the
/// store. Removed when the attempt ends; leftovers of an earlier attempt of the same job (a crashed
/// process) are removed when the next one starts.
/// </summary>
public sealed class MediaWorkFolder : IDisposable
{
    private MediaWorkFolder(string path) => Path = path;

    public string Path { get; }

    public static MediaWorkFolder Create(string root, long jobId)
    {
        Directory.CreateDirectory(root);
        foreach (var stale in Directory.EnumerateDirectories(root, $"job-{jobId}-*"))
        {
            Directory.Delete(stale, recursive: true);
        }

        var path = System.IO.Path.Combine(root, $"job-{jobId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return new MediaWorkFolder(path);
    }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
