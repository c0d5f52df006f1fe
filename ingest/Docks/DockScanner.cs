using System.IO.Enumeration;
using Enforcement.Media.Ingest.Receipts;

namespace Enforcement.Media.Ingest.Docks;

/// <summary>
/// Finds the files under a dock root that are ready to be delivered: regular files (symbolic links
/// are not followed) whose size and mtime — and their sidecars' — have not changed for
/// <c>stableFor</c>, and that have no receipt matching their size and mtime. Skips the receipts
/// folder and the station's sidecars. Knows nothing of the archive, so the central watcher and a
/// station agent share it. Stability is judged across calls, so one instance must scan repeatedly.
/// </summary>
public sealed partial class DockScanner(ReceiptFiles receipts, TimeSpan stableFor, TimeProvider time, ILogger<DockScanner> logger)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Observation> _seen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FileSignature> _receipted = new(StringComparer.Ordinal);

    public ReceiptFiles Receipts => receipts;

    /// <summary>The files under <paramref name="root"/> that became ready (stable, not receipted) by now, and those already receipted.</summary>
    public DockScan Scan(string root)
    {
        var fullRoot = DockedFile.FullRoot(root);
        var now = time.GetUtcNow();
        var ready = new List<DockedFile>();
        var receipted = new List<DockedFile>();
        var present = new HashSet<string>(StringComparer.Ordinal);
        lock (_lock)
        {
            foreach (var entry in Enumerate(fullRoot))
            {
                present.Add(entry.FullPath);
                if (_receipted.TryGetValue(entry.FullPath, out var known) && known.SameAs(entry.Key.File))
                {
                    receipted.Add(Docked(fullRoot, entry));
                    continue;
                }

                if (!_seen.TryGetValue(entry.FullPath, out var seen) || seen.Key != entry.Key)
                {
                    // New, or changed since the last scan (still being copied, or its sidecar is): start waiting again.
                    _seen[entry.FullPath] = new Observation(entry.Key, now);
                    if (stableFor > TimeSpan.Zero)
                    {
                        continue;
                    }
                }
                else if (now - seen.Since < stableFor)
                {
                    continue;
                }

                var file = Docked(fullRoot, entry);
                if (receipts.Covers(fullRoot, file.RelativePath, file.Signature))
                {
                    _receipted[entry.FullPath] = file.Signature;
                    receipted.Add(file);
                }
                else
                {
                    ready.Add(file);
                }
            }

            Forget(fullRoot, present);
        }

        return new DockScan(ready, receipted);
    }

    private static DockedFile Docked(string root, Entry entry)
    {
        var relative = Path.GetRelativePath(root, entry.FullPath);
        var slash = relative.IndexOf('/', StringComparison.Ordinal);
        var bay = slash > 0 ? relative[..slash] : DockedFile.RootName(root);
        return new DockedFile(root, relative, entry.FullPath, bay, entry.Key.File);
    }

    /// <summary>Regular files under the root with their stability keys; unreadable folders are logged and skipped.</summary>
    private IEnumerable<Entry> Enumerate(string root)
    {
        var folders = new Stack<string>();
        folders.Push(root);
        while (folders.TryPop(out var folder))
        {
            Dictionary<string, Item> items;
            try
            {
                items = List(folder);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A recorder unplugged mid-scan, or a folder we may not read: the rest of the root is still scanned.
                LogFolderUnreadable(ex, folder);
                continue;
            }

            items.TryGetValue(StationSidecar.ManifestName, out var manifest);
            foreach (var item in items.Values)
            {
                if (item.IsLink)
                {
                    LogLinkSkipped(item.FullPath);
                }
                else if (item.IsDirectory)
                {
                    if (!(folder == root && item.Name == receipts.Folder))
                    {
                        folders.Push(item.FullPath);
                    }
                }
                else if (!IsStationFile(root, folder, item, items))
                {
                    items.TryGetValue(item.Name + StationSidecar.FileSuffix, out var sidecar);
                    yield return new Entry(item.FullPath, new StabilityKey(item.Signature, sidecar?.Signature, manifest?.Signature));
                }
            }
        }
    }

    /// <summary>Sidecars and our own temporary files: read with their footage, never delivered as footage.</summary>
    private bool IsStationFile(string root, string folder, Item item, Dictionary<string, Item> items)
    {
        if (StationSidecar.IsManifest(item.Name) || ReceiptFiles.IsTemporary(item.Name))
        {
            return true;
        }

        if (!item.Name.EndsWith(StationSidecar.FileSuffix, StringComparison.Ordinal) || item.Name.Length == StationSidecar.FileSuffix.Length)
        {
            return false;
        }

        // "<name>.json" is a sidecar while <name> is there, and still after <name> was delivered and released.
        var partner = item.Name[..^StationSidecar.FileSuffix.Length];
        return items.ContainsKey(partner)
            || receipts.TryRead(root, Path.GetRelativePath(root, Path.Combine(folder, partner))) is not null;
    }

    private static Dictionary<string, Item> List(string folder)
    {
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = false,
            AttributesToSkip = 0, // hidden files are evidence too
            IgnoreInaccessible = false,
            ReturnSpecialDirectories = false,
        };
        var entries = new FileSystemEnumerable<Item>(
            folder,
            (ref entry) => new Item(
                entry.FileName.ToString(),
                entry.ToFullPath(),
                entry.IsDirectory,
                (entry.Attributes & FileAttributes.ReparsePoint) != 0,
                new FileSignature(entry.Length, entry.LastWriteTimeUtc)),
            options);
        return entries.ToDictionary(item => item.Name, StringComparer.Ordinal);
    }

    /// <summary>Drops what is known about files under the root that are gone (delivered and released, or undocked).</summary>
    private void Forget(string root, HashSet<string> present)
    {
        var prefix = root + Path.DirectorySeparatorChar;
        foreach (var path in _seen.Keys.Where(p => p.StartsWith(prefix, StringComparison.Ordinal) && !present.Contains(p)).ToList())
        {
            _seen.Remove(path);
        }

        foreach (var path in _receipted.Keys.Where(p => p.StartsWith(prefix, StringComparison.Ordinal) && !present.Contains(p)).ToList())
        {
            _receipted.Remove(path);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Dock folder {Folder} cannot be read; the rest of its root is still scanned")]
    private partial void LogFolderUnreadable(Exception exception, string folder);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Skipped symbolic link {Path}: only regular files under a dock root are delivered")]
    private partial void LogLinkSkipped(string path);

    private sealed record Item(string Name, string FullPath, bool IsDirectory, bool IsLink, FileSignature Signature);

    private readonly record struct StabilityKey(FileSignature File, FileSignature? Sidecar, FileSignature? Manifest);

    private sealed record Entry(string FullPath, StabilityKey Key);

    private sealed record Observation(StabilityKey Key, DateTimeOffset Since);
}
