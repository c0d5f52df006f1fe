using System.Text.Json;
using Enforcement.Media.Ingest.Docks;
using Enforcement.Media.Ingest.Receipts;
using Enforcement.Media.Storage.Objects.FileSystem;

namespace Enforcement.Media.Ingest.Agent;

/// <summary>
/// The station agent's memory of unfinished uploads: one small JSON file per dock root,
/// <c>&lt;root&gt;/&lt;receipts folder&gt;/.agent-uploads.json</c>, mapping each source's relative path
/// (with its size and mtime) to its tus upload URL. It lets an agent restarted after a crash or power
/// cut resume the same upload from the server's offset instead of sending the file again. Written
/// atomically and durably (temporary file, fsync, rename, fsync of the folder); one agent per root.
/// </summary>
public sealed class UploadStateFile(ReceiptFiles receipts) : IDisposable
{
    public const string Name = ".agent-uploads.json";

    private const string TempPrefix = ".agent-uploads-";

    private readonly SemaphoreSlim _lock = new(1, 1);

    public string PathIn(string root) => Path.Combine(receipts.FolderIn(root), Name);

    /// <summary>The upload begun earlier for this file as it is now (same size and mtime), or null.</summary>
    public async Task<Uri?> FindAsync(DockedFile file, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var state = await ReadAsync(file.Root, cancellationToken);
            return state.TryGetValue(file.RelativePath, out var entry) && new FileSignature(entry.Size, entry.ModifiedAt).SameAs(file.Signature)
                ? entry.Location
                : null;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Remembers the upload for this file, durably, before any byte is sent to it.</summary>
    public Task RememberAsync(DockedFile file, Uri location, CancellationToken cancellationToken) =>
        UpdateAsync(file.Root, state => state[file.RelativePath] = new Entry(location, file.Signature.Size, file.Signature.ModifiedAt), cancellationToken);

    /// <summary>Forgets the file's upload: its receipt is written, or the file changed and needs a new one.</summary>
    public Task ForgetAsync(DockedFile file, CancellationToken cancellationToken) =>
        UpdateAsync(file.Root, state => state.Remove(file.RelativePath), cancellationToken);

    public void Dispose() => _lock.Dispose();

    private async Task UpdateAsync(string root, Action<Dictionary<string, Entry>> change, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var state = await ReadAsync(root, cancellationToken);
            change(state);
            await WriteAsync(root, state, cancellationToken);
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task<Dictionary<string, Entry>> ReadAsync(string root, CancellationToken cancellationToken)
    {
        var path = PathIn(root);
        if (!File.Exists(path))
        {
            return new Dictionary<string, Entry>(StringComparer.Ordinal);
        }

        // An unreadable state file is a fault to see, not to paper over: starting afresh would upload everything again.
        await using var stream = File.OpenRead(path);
        var state = await JsonSerializer.DeserializeAsync<State>(stream, ReceiptFiles.Json, cancellationToken)
            ?? throw new InvalidDataException($"The agent's upload state {path} is empty.");
        return new Dictionary<string, Entry>(state.Uploads, StringComparer.Ordinal);
    }

    private async Task WriteAsync(string root, Dictionary<string, Entry> uploads, CancellationToken cancellationToken)
    {
        var folder = receipts.FolderIn(root);
        Directory.CreateDirectory(folder);
        var path = PathIn(root);
        var temp = Path.Combine(folder, $"{TempPrefix}{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
            {
                await JsonSerializer.SerializeAsync(file, new State(State.CurrentFormat, uploads), ReceiptFiles.Json, cancellationToken);
                await file.FlushAsync(cancellationToken);
                RandomAccess.FlushToDisk(file.SafeFileHandle);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }

            throw;
        }

        DirectorySync.Flush(folder);
    }

    private sealed record State(int Format, IReadOnlyDictionary<string, Entry> Uploads)
    {
        public const int CurrentFormat = 1;
    }

    private sealed record Entry(Uri Location, long Size, DateTimeOffset ModifiedAt);
}
