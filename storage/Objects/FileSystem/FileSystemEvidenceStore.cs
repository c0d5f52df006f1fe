using System.Runtime.CompilerServices;
using System.Text.Json;
using Enforcement.Media.Storage.Hashing;
using Enforcement.Media.Storage.Startup;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Storage.Objects.FileSystem;

/// <summary>
/// The embedded evidence store for one machine. Objects are content-addressed files
/// (<c>objects/&lt;kind&gt;/&lt;ab&gt;/&lt;sha256&gt;</c>) written to <c>staging/</c> past the page cache
/// (<see cref="DirectWriteStream"/>), fsynced, renamed atomically and made read-only. Retention and
/// legal hold live in <c>retention/</c> and are enforced by this class: it refuses to delete a locked
/// object and never shortens a lock.
/// </summary>
/// <remarks>
/// Honest limit: unlike S3 Object Lock in COMPLIANCE mode, nothing stops an operating-system
/// administrator from changing these files directly. Use the S3 store where that matters; the
/// fixity checks detect such changes either way.
/// </remarks>
public sealed partial class FileSystemEvidenceStore : IEvidenceStore
{
    private const UnixFileMode ReadOnlyFile = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(30);

    private readonly string _root;
    private readonly TimeProvider _time;
    private readonly ILogger<FileSystemEvidenceStore> _logger;

    public FileSystemEvidenceStore(IOptions<FileSystemStoreOptions> options, TimeProvider time, ILogger<FileSystemEvidenceStore> logger)
    {
        _root = Path.GetFullPath(options.Value.Root);
        _time = time;
        _logger = logger;
        Name = new Uri(_root.EndsWith('/') ? _root : _root + "/").AbsoluteUri.TrimEnd('/');
    }

    public string Name { get; }

    private string StagingFolder => Path.Combine(_root, "staging");

    public Task EnsureReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            foreach (var folder in new[] { "objects", "retention", "staging" })
            {
                Directory.CreateDirectory(Path.Combine(_root, folder));
            }

            var probe = Path.Combine(StagingFolder, $".probe-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, [1]);
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StartupCheckException($"{FileSystemStoreOptions.Section}:Root", $"The filesystem evidence store at '{_root}' is not writable: {ex.Message}", ex);
        }

        LogReady(_root);
        return Task.CompletedTask;
    }

    public async Task<PendingObject> WriteAsync(ObjectWrite write, Stream content, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var staging = StagingPath(write);
        Directory.CreateDirectory(StagingFolder);
        HashedLength hashed;
        try
        {
            await using var file = DirectWriteStream.CreateNew(staging);
            hashed = await HashingCopier.CopyAsync(content, file, progress, cancellationToken);
            await file.CompleteAsync(cancellationToken);
        }
        catch
        {
            TryDelete(staging);
            throw;
        }

        return new PendingObject(write, new ObjectRef(StagingKey(write), null), hashed.Sha256, hashed.Length);
    }

    public async Task<SealedObject> SealAsync(PendingObject pending, ObjectLock objectLock, CancellationToken cancellationToken)
    {
        var staging = StagingPath(pending.Write);
        var key = ContentKey(pending.Write.Kind, pending.Sha256);
        var target = ObjectPath(key);
        var location = new ObjectRef(key, null);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);

        // Lock before the rename so no reader ever sees an unlocked object under its content key.
        var retention = await UpdateRetentionAsync(location, current => Lengthen(current, objectLock.RetainUntil, objectLock.LegalHold), cancellationToken);

        bool alreadyStored;
        try
        {
            File.Move(staging, target, overwrite: false);
            File.SetUnixFileMode(target, ReadOnlyFile);
            DirectorySync.Flush(Path.GetDirectoryName(target)!);
            alreadyStored = false;
        }
        catch (IOException) when (File.Exists(target))
        {
            // Same content already stored (content-addressed): keep the existing file untouched.
            var existing = new FileInfo(target).Length;
            if (existing != pending.Size)
            {
                throw new ObjectIntegrityException(
                    $"Stored object {key} is {existing} bytes but its name says it holds content of {pending.Size} bytes: the store has been altered. The new copy is kept in staging as {StagingKey(pending.Write)}.");
            }

            File.Delete(staging);
            alreadyStored = true;
        }

        return new SealedObject(location, pending.Sha256, pending.Size, retention, alreadyStored);
    }

    public Task DiscardAsync(PendingObject pending, CancellationToken cancellationToken)
    {
        TryDelete(StagingPath(pending.Write));
        return Task.CompletedTask;
    }

    public Task AbandonAsync(ObjectWrite write, CancellationToken cancellationToken)
    {
        TryDelete(StagingPath(write));
        return Task.CompletedTask;
    }

    public Task<ObjectHead?> HeadAsync(ObjectRef location, CancellationToken cancellationToken)
    {
        var file = new FileInfo(ObjectPath(location.Key));
        ObjectHead? head = file.Exists ? new ObjectHead(location, file.Length, file.LastWriteTimeUtc, null) : null;
        return Task.FromResult(head);
    }

    public async Task<Stream> OpenReadAsync(ObjectRef location, ByteRange? range, CancellationToken cancellationToken)
    {
        var path = ObjectPath(location.Key);
        FileStream file;
        try
        {
            file = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.Read,
                Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
                BufferSize = 0,
            });
        }
        catch (FileNotFoundException ex)
        {
            throw new ObjectNotFoundException(location, ex);
        }
        catch (DirectoryNotFoundException ex)
        {
            throw new ObjectNotFoundException(location, ex);
        }

        if (range is not { } r)
        {
            return file;
        }

        if (r.Last >= file.Length)
        {
            var length = file.Length;
            await file.DisposeAsync();
            throw new ArgumentOutOfRangeException(nameof(range), $"Range {r} is beyond the object's {length} bytes.");
        }

        file.Position = r.First;
        return new RangeReadStream(file, r.Length);
    }

    public Task<ObjectRetention> GetRetentionAsync(ObjectRef location, CancellationToken cancellationToken)
    {
        RequireObject(location);
        return Task.FromResult(ReadRetention(location));
    }

    public async IAsyncEnumerable<ObjectRef> ListAsync(ObjectKind kind, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var objects = Path.Combine(_root, "objects");
        var folder = Path.Combine(objects, kind.ToName());
        if (!Directory.Exists(folder))
        {
            yield break;
        }

        foreach (var path in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new ObjectRef(Path.GetRelativePath(objects, path), null);
        }

        await Task.CompletedTask;
    }

    public Task<ObjectRetention> ExtendRetentionAsync(ObjectRef location, DateTimeOffset retainUntil, CancellationToken cancellationToken)
    {
        RequireObject(location);
        return UpdateRetentionAsync(location, current => Lengthen(current, retainUntil, current.LegalHold), cancellationToken);
    }

    public Task<ObjectRetention> SetLegalHoldAsync(ObjectRef location, bool enabled, CancellationToken cancellationToken)
    {
        RequireObject(location);
        return UpdateRetentionAsync(location, current => current with { LegalHold = enabled }, cancellationToken);
    }

    public async Task DeleteAsync(ObjectRef location, CancellationToken cancellationToken)
    {
        RequireObject(location);
        await using var guard = await RetentionGuard.AcquireAsync(RetentionPath(location) + ".lock", LockWait, cancellationToken);
        var retention = ReadRetention(location);
        if (retention.LegalHold)
        {
            throw new ObjectLockedException(location, "it is under legal hold");
        }

        if (retention.RetainUntil is { } until && until > _time.GetUtcNow())
        {
            throw new ObjectLockedException(location, $"it is retained until {until:O}");
        }

        var path = ObjectPath(location.Key);
        File.SetUnixFileMode(path, ReadOnlyFile | UnixFileMode.UserWrite);
        File.Delete(path);
        TryDelete(RetentionPath(location));
        DirectorySync.Flush(Path.GetDirectoryName(path)!);
        LogDeleted(location.Key);
    }

    private static ObjectRetention Lengthen(ObjectRetention current, DateTimeOffset retainUntil, bool legalHold) =>
        new(current.RetainUntil is { } until && until >= retainUntil ? until : retainUntil, legalHold, ObjectRetention.Compliance);

    private async Task<ObjectRetention> UpdateRetentionAsync(ObjectRef location, Func<ObjectRetention, ObjectRetention> change, CancellationToken cancellationToken)
    {
        var path = RetentionPath(location);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);

        // Read-modify-write under an exclusive lock: two concurrent extensions must not let the
        // shorter one land last.
        await using var guard = await RetentionGuard.AcquireAsync(path + ".lock", LockWait, cancellationToken);
        var current = ReadRetention(location);
        var changed = change(current);
        if (changed.RetainUntil < current.RetainUntil)
        {
            throw new ObjectLockedException(location, "a retention period is never shortened");
        }

        if (changed != current)
        {
            var temp = path + $".{Guid.NewGuid():N}.tmp";
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
            {
                await JsonSerializer.SerializeAsync(file, RetentionRecord.From(changed), RetentionJson.Default.RetentionRecord, cancellationToken);
                RandomAccess.FlushToDisk(file.SafeFileHandle);
            }

            File.Move(temp, path, overwrite: true);
            DirectorySync.Flush(Path.GetDirectoryName(path)!);
        }

        return changed;
    }

    private ObjectRetention ReadRetention(ObjectRef location)
    {
        var path = RetentionPath(location);
        if (!File.Exists(path))
        {
            return new ObjectRetention(null, false, ObjectRetention.Compliance);
        }

        var record = JsonSerializer.Deserialize(File.ReadAllBytes(path), RetentionJson.Default.RetentionRecord)
            ?? throw new InvalidDataException($"Retention record '{path}' is empty.");
        return record.ToRetention();
    }

    private void RequireObject(ObjectRef location)
    {
        if (!File.Exists(ObjectPath(location.Key)))
        {
            throw new ObjectNotFoundException(location);
        }
    }

    private static string ContentKey(ObjectKind kind, Sha256Digest sha256) => $"{kind.ToName()}/{sha256.Hex[..2]}/{sha256.Hex}";

    private static string StagingKey(ObjectWrite write) => $"staging/{write.WriteId:N}.part";

    private string StagingPath(ObjectWrite write) => Path.Combine(_root, StagingKey(write));

    /// <summary>Resolves a key inside <c>objects/</c>; a key that would escape the store is refused.</summary>
    private string ObjectPath(string key) => Contained(Path.Combine(_root, "objects"), key);

    private string RetentionPath(ObjectRef location) => Contained(Path.Combine(_root, "retention"), location.Key) + ".json";

    private static string Contained(string folder, string key)
    {
        var path = Path.GetFullPath(Path.Combine(folder, key));
        if (!path.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Object key '{key}' is outside the store.", nameof(key));
        }

        return path;
    }

    private void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException ex)
        {
            LogCleanupFailed(ex, path);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Filesystem evidence store ready at {Root}")]
    private partial void LogReady(string root);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deleted object {ObjectKey} after its retention ended")]
    private partial void LogDeleted(string objectKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove staging file {Path}")]
    private partial void LogCleanupFailed(Exception exception, string path);
}
