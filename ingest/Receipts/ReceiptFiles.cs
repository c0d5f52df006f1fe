using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Enforcement.Media.Ingest.Docks;
using Enforcement.Media.Storage.Hashing;
using Enforcement.Media.Storage.Objects.FileSystem;

namespace Enforcement.Media.Ingest.Receipts;

/// <summary>
/// Receipt files at a dock root: <c>&lt;root&gt;/&lt;folder&gt;/&lt;relative path&gt;.receipt.json</c>
/// (folder <c>receipts</c> by default), mirroring each source's path, so recorders mounted
/// read-only can still be receipted and a receipt never looks like footage.
/// </summary>
/// <remarks>
/// A receipt is written atomically and durably (temporary file, fsync, rename, fsync of the
/// folders): source deletion relies on it existing after a power cut.
/// </remarks>
public sealed partial class ReceiptFiles(string folder, ILogger<ReceiptFiles> logger)
{
    public const string Suffix = ".receipt.json";

    /// <summary>Linux NAME_MAX: a 255-byte source name cannot simply get a suffix.</summary>
    private const int MaxNameBytes = 255;

    private const string TempPrefix = ".receipt-";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The receipts folder name, relative to each root.</summary>
    public string Folder { get; } = Validate(folder);

    public string FolderIn(string root) => Path.Combine(DockedFile.FullRoot(root), Folder);

    /// <summary>Where the receipt for <paramref name="relativePath"/> under <paramref name="root"/> lives.</summary>
    public string PathFor(string root, string relativePath)
    {
        var directory = Path.GetDirectoryName(relativePath) ?? string.Empty;
        return Path.Combine(FolderIn(root), directory, ReceiptName(Path.GetFileName(relativePath)));
    }

    /// <summary>
    /// Creates the folder a source's receipt goes in. Called before archiving, so a receipts folder
    /// that cannot be written fails the delivery before the archive records a source for it.
    /// </summary>
    public void Prepare(string root, string relativePath) => Directory.CreateDirectory(Path.GetDirectoryName(PathFor(root, relativePath))!);

    /// <summary>Writes the receipt durably and returns its path; an older receipt for the same path is replaced.</summary>
    public async Task<string> WriteAsync(string root, ReceiptFile receipt, CancellationToken cancellationToken)
    {
        var path = PathFor(root, receipt.Source.Path);
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $"{TempPrefix}{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
            {
                await JsonSerializer.SerializeAsync(file, receipt, Json, cancellationToken);
                await file.FlushAsync(cancellationToken);
                RandomAccess.FlushToDisk(file.SafeFileHandle);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            // Only our own unfinished temporary file; the source and any earlier receipt are untouched.
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }

            throw;
        }

        // The rename, and any folder created for it, are durable once each folder up to the root is flushed.
        for (var folder = directory; folder is not null && IsWithin(folder, DockedFile.FullRoot(root)); folder = Path.GetDirectoryName(folder))
        {
            DirectorySync.Flush(folder);
        }

        return path;
    }

    /// <summary>
    /// The receipt for a source, or null when there is none or it cannot be read (then the file is
    /// delivered again: the archive adds a source row, it never stores the bytes twice).
    /// </summary>
    public ReceiptFile? TryRead(string root, string relativePath)
    {
        var path = PathFor(root, relativePath);
        try
        {
            var receipt = JsonSerializer.Deserialize<ReceiptFile>(File.ReadAllBytes(path), Json);
            if (receipt?.Receipt is null || receipt.Source is null || receipt.Source.Path != relativePath
                || !Sha256Digest.TryParse(receipt.Receipt.Sha256, out _))
            {
                LogUnreadable(path, "it does not describe this file");
                return null;
            }

            return receipt;
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            // An unreadable receipt must not stop the scan of everything else; its file is delivered again.
            LogUnreadable(path, ex.Message);
            return null;
        }
    }

    /// <summary>True when a receipt exists for this file as it is now (same size and mtime).</summary>
    public bool Covers(string root, string relativePath, FileSignature signature) =>
        TryRead(root, relativePath) is { } receipt
        && new FileSignature(receipt.Source.Size, receipt.Source.ModifiedAt).SameAs(signature);

    /// <summary>Our own temporary files, which a scan must never take for footage.</summary>
    public static bool IsTemporary(string name) => name.StartsWith(TempPrefix, StringComparison.Ordinal) && name.EndsWith(".tmp", StringComparison.Ordinal);

    /// <summary>
    /// <c>&lt;name&gt;.receipt.json</c>, or when that is longer than a file name may be, the name cut
    /// at a character boundary plus a hash of the whole name (the receipt inside names the source in full).
    /// </summary>
    private static string ReceiptName(string name)
    {
        var full = name + Suffix;
        if (Encoding.UTF8.GetByteCount(full) <= MaxNameBytes)
        {
            return full;
        }

        var tag = "~" + Sha256Digest.Of(Encoding.UTF8.GetBytes(name)).Hex[..16] + Suffix;
        var budget = MaxNameBytes - Encoding.UTF8.GetByteCount(tag);
        var cut = new StringBuilder();
        var used = 0;
        foreach (var rune in name.EnumerateRunes())
        {
            if (used + rune.Utf8SequenceLength > budget)
            {
                break;
            }

            cut.Append(rune.ToString());
            used += rune.Utf8SequenceLength;
        }

        return cut + tag;
    }

    private static bool IsWithin(string folder, string root) =>
        folder == root || folder.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static string Validate(string folder)
    {
        if (string.IsNullOrWhiteSpace(folder) || folder is "." or ".." || folder.IndexOfAny(['/', '\\']) >= 0)
        {
            throw new ArgumentException($"The receipts folder must be one plain folder name (created in each dock root), not '{folder}'.", nameof(folder));
        }

        return folder;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Receipt {ReceiptPath} cannot be used ({Reason}); its file will be delivered again")]
    private partial void LogUnreadable(string receiptPath, string reason);
}
