using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Storage.Jobs;

/// <summary>
/// Runs queued jobs, the one loop of every process that does: per pool, a fixed number of loops each
/// claim one job of the kinds this process handles (SKIP LOCKED, so many processes share the queue),
/// keep its lease renewed while the handler works, then mark it done or failed with exponential
/// backoff. A failure is caught here, per job, and never stops the worker. An idle loop sleeps for
/// <c>Jobs:PollInterval</c> or until <see cref="JobWakeup"/> says this process queued something.
/// </summary>
public sealed partial class JobWorker(
    IEnumerable<IJobHandler> handlers,
    JobQueue queue,
    IOptions<JobOptions> options,
    ILogger<JobWorker> logger,
    JobMetrics? metrics = null,
    JobWakeup? wakeup = null) : BackgroundService
{
    private static readonly string Owner = $"{Environment.MachineName}/{Environment.ProcessId}";

    /// <summary>A span per job: work outside any request still traces as one piece (store, catalogue, ffmpeg's wait).</summary>
    private static readonly ActivitySource Tracing = new(JobMetrics.MeterName);

    private readonly JobWakeup _wakeup = wakeup ?? new JobWakeup();

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var enabled = new List<IJobHandler>();
        foreach (var handler in handlers)
        {
            if (handler.Disabled is { } why)
            {
                LogKindDisabled(handler.Kind, why);
            }
            else
            {
                enabled.Add(handler);
            }
        }

        var loops = enabled
            .GroupBy(h => h.Pool)
            .SelectMany(pool =>
            {
                var byKind = pool.ToDictionary(h => h.Kind);
                return Enumerable.Range(0, options.Value.ConcurrencyOf(pool.Key)).Select(_ => RunLoopAsync(byKind, stoppingToken));
            })
            .ToList();
        return Task.WhenAll(loops);
    }

    /// <summary>Claims and runs one job of these kinds; false when none was ready. Tests drive it directly.</summary>
    public async Task<bool> RunOnceAsync(IReadOnlyDictionary<string, IJobHandler> byKind, CancellationToken cancellationToken)
    {
        var lease = options.Value.Lease;
        var job = await queue.ClaimAsync([.. byKind.Keys], Owner, lease, cancellationToken);
        if (job is null)
        {
            return false;
        }

        using var scope = logger.BeginScope(new Dictionary<string, object?> { ["JobId"] = job.Id, ["JobKind"] = job.Kind, ["RecordingId"] = job.RecordingId });
        using var activity = Tracing.StartActivity($"job {job.Kind}");
        activity?.SetTag("enforcement_media.job.id", job.Id);
        activity?.SetTag("enforcement_media.job.kind", job.Kind);
        activity?.SetTag("enforcement_media.recording.id", job.RecordingId?.ToString());
        var started = TimeProvider.System.GetTimestamp();
        using var renewing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var renewal = RenewLeaseAsync(job, lease, renewing.Token);
        try
        {
            await byKind[job.Kind].HandleAsync(job, cancellationToken);
            await renewing.CancelAsync();
            await renewal;
            await queue.CompleteAsync(job.Id, Owner, cancellationToken);
            var elapsed = TimeProvider.System.GetElapsedTime(started);
            metrics?.Attempted(job.Kind, JobMetrics.Succeeded, elapsed);
            LogCompleted(job.Id, job.Kind, elapsed.TotalMilliseconds);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            await renewing.CancelAsync();
            await renewal;
            var delay = RetryDelay(job.Attempts);
            var outcome = await queue.FailAsync(job.Id, Owner, Describe(ex), delay, CancellationToken.None);
            metrics?.Attempted(job.Kind, outcome switch
            {
                JobFailure.GaveUp => JobMetrics.GaveUp,
                JobFailure.WillRetry => JobMetrics.WillRetry,
                _ => JobMetrics.LeaseLost,
            }, TimeProvider.System.GetElapsedTime(started));
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            if (outcome == JobFailure.GaveUp)
            {
                LogGaveUp(ex, job.Id, job.Kind, job.Attempts);
                await GaveUpAsync(byKind[job.Kind], job, ex);
            }
            else
            {
                LogWillRetry(ex, job.Id, job.Kind, job.Attempts, delay.TotalSeconds);
            }
        }

        return true;
    }

    private async Task RunLoopAsync(IReadOnlyDictionary<string, IJobHandler> byKind, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!await RunOnceAsync(byKind, stoppingToken))
                {
                    await _wakeup.WaitAsync(options.Value.PollInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // Shutting down: a job cut short keeps its lease until it expires, then runs again.
                return;
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException)
            {
                // The catalogue is unreachable: wait and try again, the jobs are safe in it.
                LogQueueUnavailable(ex);
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
            }
        }
    }

    /// <summary>
    /// Tells the handler its job will not run again. Like the failure itself, recorded whatever the
    /// shutdown: the job is already failed in the queue, and whoever waits on it must learn so.
    /// </summary>
    private async Task GaveUpAsync(IJobHandler handler, ClaimedJob job, Exception failure)
    {
        try
        {
            await handler.GaveUpAsync(job, failure, CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogGaveUpNotRecorded(ex, job.Id, job.Kind);
        }
    }

    private async Task RenewLeaseAsync(ClaimedJob job, TimeSpan lease, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(lease / 3);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                if (!await queue.RenewLeaseAsync(job.Id, Owner, lease, cancellationToken))
                {
                    LogLeaseLost(job.Id, job.Kind);
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The handler finished.
        }
        catch (Npgsql.NpgsqlException ex)
        {
            LogQueueUnavailable(ex);
        }
    }

    private TimeSpan RetryDelay(int attempts)
    {
        var delay = options.Value.RetryDelay * Math.Pow(2, Math.Max(0, attempts - 1));
        return delay < options.Value.MaxRetryDelay ? delay : options.Value.MaxRetryDelay;
    }

    private static string Describe(Exception ex) => $"{ex.GetType().Name}: {ex.Message}";

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} ({JobKind}) done in {ElapsedMs:F0} ms")]
    private partial void LogCompleted(long jobId, string jobKind, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} ({JobKind}) attempt {Attempt} failed; retrying in {RetrySeconds:F0} s")]
    private partial void LogWillRetry(Exception exception, long jobId, string jobKind, int attempt, double retrySeconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} ({JobKind}) failed for good after {Attempt} attempts")]
    private partial void LogGaveUp(Exception exception, long jobId, string jobKind, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} ({JobKind}) failed for good, and its handler could not record so")]
    private partial void LogGaveUpNotRecorded(Exception exception, long jobId, string jobKind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "This process runs no {JobKind} jobs: {Reason}")]
    private partial void LogKindDisabled(string jobKind, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} ({JobKind}) lost its lease; another worker may run it")]
    private partial void LogLeaseLost(long jobId, string jobKind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The job queue is unavailable; retrying")]
    private partial void LogQueueUnavailable(Exception exception);
}
