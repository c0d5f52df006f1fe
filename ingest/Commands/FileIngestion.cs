using Enforcement.Media.Ingest.Docks;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Recordings;
using Spectre.Console;

namespace Enforcement.Media.Ingest.Commands;

/// <summary>
/// The work behind <c>ingest files</c>: expands the paths (folders recursively, skipping station
/// sidecars, which are read with their files), archives each file through the same pipeline as the
/// dock watcher with a progress bar, and reports every file. One file failing never stops the
/// others. Never deletes or changes a source.
/// </summary>
internal sealed class FileIngestion(RecordingArchive archive, DeliveryReader reader, AuditTrail audit, IAnsiConsole console, string actor)
{
    public const int ExitFailed = 1;

    /// <summary>Everything was stored, but a station's hash did not match for at least one file.</summary>
    public const int ExitQuarantined = 3;

    public static int ExitCode(IReadOnlyList<FileResult> results) =>
        results.Any(r => r.Failed) ? ExitFailed : results.Any(r => r.Quarantined) ? ExitQuarantined : 0;

    public async Task<IReadOnlyList<FileResult>> IngestAsync(IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        var (files, unusable) = Expand(paths);
        var results = new List<FileResult>(unusable);
        if (files.Count > 0)
        {
            await FilesReport.Progress(console).StartAsync(async context =>
            {
                var bars = files.Select(file => (File: file, Bar: context.AddTask(FilesReport.Label(file.Path), autoStart: false, maxValue: Math.Max(1, file.Size)))).ToList();
                foreach (var (file, bar) in bars)
                {
                    bar.StartTask();
                    results.Add(await IngestOneAsync(file.Path, FilesReport.Reporter(bar), cancellationToken));
                    bar.Value = bar.MaxValue;
                    bar.StopTask();
                }
            });
        }

        console.Write(FilesReport.Summary(results));
        console.WriteLine(FilesReport.Totals(results));
        return results;
    }

    private async Task<FileResult> IngestOneAsync(string path, IProgress<long> progress, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> notes = [];
        try
        {
            var modifiedAt = new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero);
            var described = reader.Describe(path, SourceKind.Command, actor, null, modifiedAt);
            notes = described.Problems;
            if (notes.Count > 0)
            {
                await audit.AppendAsync(new AuditEntry(actor, StationSidecar.RejectedAuditAction, "source-file", path, new { path, problems = notes }), cancellationToken);
            }

            await using var source = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.ReadWrite,
                Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
                BufferSize = 0,
            });
            var archived = await archive.ArchiveAsync(source, described.Delivery, progress, cancellationToken);
            return new FileResult(path, archived, null, notes);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Per file: reported in the summary and in the exit code, and the next file goes on.
            return new FileResult(path, null, $"{ex.GetType().Name}: {ex.Message}", notes);
        }
    }

    /// <summary>The files to ingest, in the order given (folders sorted by path), and a failed row for each path that cannot be used.</summary>
    private static (List<(string Path, long Size)> Files, List<FileResult> Unusable) Expand(IReadOnlyList<string> paths)
    {
        var files = new List<(string Path, long Size)>();
        var unusable = new List<FileResult>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var given in paths)
        {
            var path = Path.GetFullPath(given);
            try
            {
                if (File.Exists(path))
                {
                    // Named explicitly: ingested whatever it is.
                    Add(path);
                }
                else if (Directory.Exists(path))
                {
                    var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = false };
                    foreach (var file in Directory.EnumerateFiles(path, "*", options).Where(f => !IsStationFile(f)).Order(StringComparer.Ordinal))
                    {
                        Add(file);
                    }
                }
                else
                {
                    unusable.Add(new FileResult(given, null, "no such file or folder", []));
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                unusable.Add(new FileResult(given, null, $"cannot be listed: {ex.Message}", []));
            }
        }

        return (files, unusable);

        void Add(string file)
        {
            if (seen.Add(file))
            {
                files.Add((file, new FileInfo(file).Length));
            }
        }
    }

    /// <summary>Sidecars (read with their files) and dock receipts are not footage.</summary>
    private static bool IsStationFile(string path)
    {
        var name = Path.GetFileName(path);
        return StationSidecar.IsManifest(name)
            || name.EndsWith(Receipts.ReceiptFiles.Suffix, StringComparison.Ordinal)
            || (name.EndsWith(StationSidecar.FileSuffix, StringComparison.Ordinal) && File.Exists(path[..^StationSidecar.FileSuffix.Length]));
    }
}
