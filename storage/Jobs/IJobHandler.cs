namespace Enforcement.Media.Storage.Jobs;

/// <summary>
/// Does one kind of queued work (probe, rendition, archive an upload, build an export package, …). A
/// seam because each feature brings its own handler, in whichever process does that work; the
/// <see cref="JobWorker"/> claims, leases, retries and logs. Throwing fails the attempt: it is retried
/// with backoff until its attempts run out.
/// </summary>
public interface IJobHandler
{
    /// <summary>The <c>jobs.kind</c> this handler takes.</summary>
    string Kind { get; }

    /// <summary>Which worker pool runs it: pools bound how many such jobs run at once (ffmpeg is CPU-heavy).</summary>
    string Pool => JobPools.Default;

    /// <summary>
    /// Why this process cannot do the work (a setting it needs is missing), or null when it can. A
    /// disabled handler claims nothing: its jobs wait for a process that can run them.
    /// </summary>
    string? Disabled => null;

    Task HandleAsync(ClaimedJob job, CancellationToken cancellationToken);

    /// <summary>
    /// The job failed its last attempt and will not run again: the place to record that for whoever
    /// waits on it. A failure here is logged; the job stays failed.
    /// </summary>
    Task GaveUpAsync(ClaimedJob job, Exception failure, CancellationToken cancellationToken) => Task.CompletedTask;
}
