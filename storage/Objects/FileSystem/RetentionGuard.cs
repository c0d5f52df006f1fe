namespace Enforcement.Media.Storage.Objects.FileSystem;

/// <summary>
/// An exclusive lock on a retention record across processes: .NET takes an advisory flock(2) for
/// <see cref="FileShare.None"/>, so a second opener fails until the first lets go.
/// </summary>
internal sealed class RetentionGuard : IAsyncDisposable
{
    private readonly FileStream _lockFile;

    private RetentionGuard(FileStream lockFile) => _lockFile = lockFile;

    public static async Task<RetentionGuard> AcquireAsync(string path, TimeSpan wait, CancellationToken cancellationToken)
    {
        var deadline = Environment.TickCount64 + (long)wait.TotalMilliseconds;
        while (true)
        {
            try
            {
                return new RetentionGuard(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None));
            }
            catch (IOException) when (Environment.TickCount64 < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
            }
        }
    }

    public ValueTask DisposeAsync() => _lockFile.DisposeAsync();
}
