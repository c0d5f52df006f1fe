using Enforcement.Media.Storage.Jobs;

namespace Enforcement.Media.Ingest.Jobs;

/// <summary>
/// Does one kind of queued work (probe, rendition, archive an upload, …). A seam because each
/// feature brings its own handler; the <see cref="JobWorker"/> claims, leases, retries and logs.
/// Throwing fails the attempt: it is retried with backoff until its attempts run out.
/// </summary>
public interface IJobHandler
{
    /// <summary>The <c>jobs.kind</c> this handler takes.</summary>
    string Kind { get; }

    /// <summary>Which worker pool runs it: pools bound how many such jobs run at once (ffmpeg is CPU-heavy).</summary>
    string Pool => JobPools.Default;

    Task HandleAsync(ClaimedJob job, CancellationToken cancellationToken);
}
