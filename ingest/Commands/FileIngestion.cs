using Enforcement.Media.Ingest.Docks;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Storage.Recordings;
using Spectre.Console;

namespace Enforcement.Media.Ingest.Commands;

/// <summary>
/// The work behind <c>ingest files</c>: expands the paths (folders recursively, skipping station
/// sidecars, which are read with their files), archives each file through the same pipeline as the
/// dock watcher with a progress bar, and reports every file in the order given. One file failing
/// never stops the others - unless the store stopped answering (see <see cref="_storeTimedOutOn"/>).
/// Never deletes or changes a source.
/// </summary>
/// <remarks>
/// Files go <paramref name="concurrency"/> at a time because one file's pipeline leaves a core idle
/// much of the time: SHA-256 runs on one core, and the fsync that ends every file waits on the disk.
/// Two files at once were never slower on two cores and up to a third faster (2 GiB in 8 files:
/// 4.5 s against 4.7-7.3 s one at a time). Identical content arriving at the same moment is safe:
/// the archive serialises it on the catalogue's content lock.
/// </remarks>
internal sealed class FileIngestion(RecordingArchive archive, DeliveryReader reader, AuditTrail audit, IAnsiConsole console, string actor, int concurrency)
{
    public const int DefaultConcurrency = 2;

    public const int MaxConcurrency = 16;

    public const int ExitFailed = 1;

    /// <summary>Everything was stored, but a station's hash did not match for at least one file.</summary>
    public const int ExitQuarantined = 3;

    /// <summary>Interrupted by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it).</summary>
    public const int ExitInterrupted = 130;

    /// <summary>
    /// The file whose store write timed out first, once one has. A store that let a request go unanswered
    /// that long (a hung S3 server; Ceph RGW with a full OSD) holds every later file as long again - four
    /// tries of Store:S3:RequestTimeout each, minutes - so no file starts after it: each is reported not
    /// started, and running the command again once the store answers picks them up (what was stored is
    /// "already held"). The files already in flight finish or fail on their own: against a hung server
    /// they started at about the same time, so they time out together. Only the store's own timeout
    /// counts (<see cref="EvidenceStoreTimeoutException"/>), not, say, the catalogue's.
    /// </summary>
    private string? _storeTimedOutOn;

    public static int ExitCode(IReadOnlyList<FileResult> results) =>
        results.Any(r => r.Interrupted) ? ExitInterrupted
        : results.Any(r => r.Failed) ? ExitFailed
        : results.Any(r => r.Quarantined) ? ExitQuarantined
        : 0;

    public async Task<IReadOnlyList<FileResult>> IngestAsync(IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        var entries = Expand(paths);
        var results = new FileResult[entries.Count];
        await FilesReport.Progress(console).StartAsync(async context =>
        {
            var bars = entries.Select(e => e.Failure is null ? context.AddTask(FilesReport.Label(e.Path), autoStart: false, maxValue: Math.Max(1, e.Size)) : null).ToList();
            try
            {
                await Parallel.ForEachAsync(
                    Enumerable.Range(0, entries.Count),
                    new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
                    async (i, token) =>
                    {
                        if (entries[i].Failure is not null || bars[i] is not { } bar)
                        {
                            results[i] = new FileResult(entries[i].Path, null, entries[i].Failure, []);
                            return;
                        }

                        if (Volatile.Read(ref _storeTimedOutOn) is { } timedOut)
                        {
                            results[i] = new FileResult(entries[i].Path, null, $"not started: the evidence store timed out on {timedOut}; run again once it answers", []);
                            return;
                        }

                        bar.StartTask();
                        results[i] = await IngestOneAsync(entries[i].Path, FilesReport.Reporter(bar), token);
                        bar.Value = bar.MaxValue;
                        bar.StopTask();
                    });
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                // (Not only OperationCanceledException: a read or request cut short may fail otherwise.)
                // Interrupted: the files in flight were abandoned (their sources untouched, nothing half
                // stored kept) and the rest never started. The summary still says what became of each.
                for (var i = 0; i < results.Length; i++)
                {
                    results[i] ??= new FileResult(entries[i].Path, null, null, [], Interrupted: true);
                }
            }
        });

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
            // Per file: reported in the summary and in the exit code, and the next file goes on - unless
            // the store stopped answering (see _storeTimedOutOn).
            if (ex is EvidenceStoreTimeoutException)
            {
                Interlocked.CompareExchange(ref _storeTimedOutOn, path, null);
            }

            return new FileResult(path, null, $"{ex.GetType().Name}: {ex.Message}", notes);
        }
    }

    /// <summary>The files to ingest in the order given (each folder's sorted by path), with a failure for each path that cannot be used.</summary>
    private static List<Entry> Expand(IReadOnlyList<string> paths)
    {
        var entries = new List<Entry>();
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
                    foreach (var file in Directory.EnumerateFiles(path, "*", options).Where(f => !IsStationFile(f)).Order(StringComparer.Ordinal).ToList())
                    {
                        Add(file);
                    }
                }
                else
                {
                    entries.Add(new Entry(given, 0, "no such file or folder"));
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                entries.Add(new Entry(given, 0, $"cannot be listed: {ex.Message}"));
            }
        }

        return entries;

        void Add(string file)
        {
            if (seen.Add(file))
            {
                entries.Add(new Entry(file, new FileInfo(file).Length, null));
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

    private sealed record Entry(string Path, long Size, string? Failure);
}
