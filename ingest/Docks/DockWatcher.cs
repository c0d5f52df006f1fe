using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Ingest.Docks;

/// <summary>
/// The dock watcher, in the central worker or on a station PC (<c>ingest agent</c>): scans the configured roots every
/// <c>Docks:ScanInterval</c>, delivers each stable file with bounded concurrency
/// (<c>Docks:Concurrency</c>), then lets <see cref="SourceRelease"/> decide about the source.
/// A failure on one file is caught here, per file, logged, and retried on a later scan with a
/// growing delay; nothing is receipted or deleted for it, and the watcher keeps running.
/// </summary>
public sealed partial class DockWatcher(
    DockScanner scanner,
    IDockDelivery delivery,
    SourceRelease release,
    IOptions<DockOptions> options,
    TimeProvider time,
    ILogger<DockWatcher> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, byte> _inFlight = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Retry> _retries = new(StringComparer.Ordinal);

    /// <summary>Sources whose release was decided for good (kept), by the version decided on.</summary>
    private readonly ConcurrentDictionary<string, FileSignature> _settled = new(StringComparer.Ordinal);

    private int Concurrency => Math.Max(1, options.Value.Concurrency);

    /// <summary>Scans every root once and processes all that is due, returning when it is done.</summary>
    public async Task<IReadOnlyList<DockFileOutcome>> ScanOnceAsync(CancellationToken cancellationToken)
    {
        var outcomes = new ConcurrentBag<DockFileOutcome>();
        await Parallel.ForEachAsync(
            TakeDue(),
            new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken },
            async (work, token) => outcomes.Add(await ProcessAsync(work, token)));
        return [.. outcomes];
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Roots.Count == 0)
        {
            LogNoRoots();
            return;
        }

        LogWatching(options.Value.Roots, options.Value.StableFor.TotalSeconds, Concurrency, options.Value.SourceDeletion);

        // Scanning goes on while long files are archived: a new recorder waits for a free slot, not for the slowest file.
        var queue = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleWriter = true });
        var workers = Enumerable.Range(0, Concurrency).Select(_ => Task.Run(() => WorkAsync(queue.Reader, stoppingToken), CancellationToken.None)).ToList();
        try
        {
            using var timer = new PeriodicTimer(options.Value.ScanInterval, time);
            do
            {
                foreach (var work in TakeDue())
                {
                    queue.Writer.TryWrite(work);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: a file cut short keeps no receipt and is delivered again after the restart.
        }
        finally
        {
            queue.Writer.TryComplete();
            await Task.WhenAll(workers);
        }
    }

    private async Task WorkAsync(ChannelReader<Work> queue, CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var work in queue.ReadAllAsync(stoppingToken))
            {
                await ProcessAsync(work, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>Scans the roots and claims what is due: ready files to deliver, and receipted ones a deletion policy may release.</summary>
    private List<Work> TakeDue()
    {
        var due = new List<Work>();
        var present = new HashSet<string>(StringComparer.Ordinal);
        var releasing = options.Value.SourceDeletion == SourceDeletion.AfterVerified;
        foreach (var root in options.Value.Roots)
        {
            DockScan scan;
            try
            {
                scan = scanner.Scan(root);
            }
            catch (Exception ex)
            {
                // Unreadable folders are handled inside the scan; anything else must not stop the other roots or later scans.
                LogScanFailed(ex, root);
                continue;
            }

            present.UnionWith(scan.Ready.Concat(scan.Receipted).Select(file => file.FullPath));
            due.AddRange(scan.Ready.Where(IsDue).Where(Claim).Select(file => new Work(file, Deliver: true)));
            if (releasing)
            {
                due.AddRange(scan.Receipted.Where(file => !IsSettled(file) && IsDue(file)).Where(Claim).Select(file => new Work(file, Deliver: false)));
            }
        }

        // What is gone (released, undocked) or changing again needs no retry or settled decision kept.
        foreach (var path in _retries.Keys.Concat(_settled.Keys).Where(p => !present.Contains(p) && !_inFlight.ContainsKey(p)).ToList())
        {
            _retries.TryRemove(path, out _);
            _settled.TryRemove(path, out _);
        }

        return due;
    }

    private async Task<DockFileOutcome> ProcessAsync(Work work, CancellationToken cancellationToken)
    {
        var file = work.File;
        try
        {
            DockFileOutcome outcome;
            try
            {
                outcome = work.Deliver
                    ? await delivery.DeliverAsync(file, cancellationToken)
                    : new DockFileOutcome(file, DockFileResult.AlreadyDelivered);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                var retry = ScheduleRetry(file);
                LogDeliveryFailed(ex, file.FullPath, file.Actor, retry.Attempts, (retry.NotBefore - time.GetUtcNow()).TotalSeconds);
                return new DockFileOutcome(file, DockFileResult.Failed, Failure: Describe(ex));
            }

            if (outcome.Result == DockFileResult.ChangedWhileRead)
            {
                return outcome;
            }

            try
            {
                var decision = await release.ReleaseAsync(file, cancellationToken);
                if (decision.Final && !decision.Deleted && options.Value.SourceDeletion == SourceDeletion.AfterVerified)
                {
                    _settled[file.FullPath] = file.Signature;
                }

                if (decision.Final)
                {
                    _retries.TryRemove(file.FullPath, out _);
                }
                else
                {
                    ScheduleRetry(file);
                }

                return outcome with { Release = decision };
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // The delivery stands (its receipt is written); only the release is tried again.
                var retry = ScheduleRetry(file);
                LogReleaseFailed(ex, file.FullPath, retry.Attempts, (retry.NotBefore - time.GetUtcNow()).TotalSeconds);
                return outcome with { Failure = $"release: {Describe(ex)}" };
            }
        }
        finally
        {
            _inFlight.TryRemove(file.FullPath, out _);
        }
    }

    private bool Claim(DockedFile file) => _inFlight.TryAdd(file.FullPath, 0);

    private bool IsDue(DockedFile file) => !_retries.TryGetValue(file.FullPath, out var retry) || retry.NotBefore <= time.GetUtcNow();

    private bool IsSettled(DockedFile file) => _settled.TryGetValue(file.FullPath, out var settled) && settled.SameAs(file.Signature);

    private Retry ScheduleRetry(DockedFile file) => _retries.AddOrUpdate(
        file.FullPath,
        _ => new Retry(1, time.GetUtcNow() + Delay(1)),
        (_, previous) => new Retry(previous.Attempts + 1, time.GetUtcNow() + Delay(previous.Attempts + 1)));

    private TimeSpan Delay(int attempts)
    {
        var delay = options.Value.ScanInterval * Math.Pow(2, Math.Min(attempts - 1, 20));
        return delay < options.Value.MaxRetryDelay ? delay : options.Value.MaxRetryDelay;
    }

    private static string Describe(Exception ex) => $"{ex.GetType().Name}: {ex.Message}";

    [LoggerMessage(Level = LogLevel.Information, Message = "Dock watcher scanning {Roots}: files stable for {StableSeconds} s, {Concurrency} at a time, source deletion {SourceDeletion}")]
    private partial void LogWatching(IList<string> roots, double stableSeconds, int concurrency, SourceDeletion sourceDeletion);

    [LoggerMessage(Level = LogLevel.Information, Message = "No dock roots configured (Docks:Roots); the dock watcher is idle")]
    private partial void LogNoRoots();

    [LoggerMessage(Level = LogLevel.Error, Message = "Scanning dock root {Root} failed; it is scanned again next time")]
    private partial void LogScanFailed(Exception exception, string root);

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivering {SourcePath} from {Actor} failed (attempt {Attempt}); nothing was receipted or deleted, retrying in {RetrySeconds:F0} s")]
    private partial void LogDeliveryFailed(Exception exception, string sourcePath, string actor, int attempt, double retrySeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Releasing {SourcePath} failed (attempt {Attempt}); the source is kept, retrying in {RetrySeconds:F0} s")]
    private partial void LogReleaseFailed(Exception exception, string sourcePath, int attempt, double retrySeconds);

    private sealed record Work(DockedFile File, bool Deliver);

    private sealed record Retry(int Attempts, DateTimeOffset NotBefore);
}
