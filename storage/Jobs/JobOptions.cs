namespace Enforcement.Media.Storage.Jobs;

/// <summary>
/// Configuration section <c>Jobs</c>: the <see cref="JobWorker"/> of every process that runs queued jobs
/// (the ingest worker, and the player for export packages). The media pool, recovery and the queue's
/// sampling are the ingest worker's only.
/// </summary>
public sealed class JobOptions
{
    public const string Section = "Jobs";

    /// <summary>Jobs of the default pool run at once in this process (the player's only jobs, export packages, are of it).</summary>
    public int DefaultConcurrency { get; set; } = 2;

    /// <summary>ffmpeg jobs at once in this process; 0 means cores − 1 (at least 1).</summary>
    public int MediaConcurrency { get; set; }

    /// <summary>How often an idle worker looks for work (work queued by this process wakes it at once: <see cref="JobWakeup"/>).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A running job's lease; renewed every third of it while the handler works.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>First retry delay; doubles with each attempt up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How often recovery looks for jobs and writes whose process died (their leases ran out); it
    /// also runs once at start.
    /// </summary>
    public TimeSpan RecoveryInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the queue's depth is counted for the metrics (only while they are collected).</summary>
    public TimeSpan QueueSampleInterval { get; set; } = TimeSpan.FromSeconds(15);

    public int ConcurrencyOf(string pool) => pool switch
    {
        JobPools.Media => MediaConcurrency > 0 ? MediaConcurrency : Math.Max(1, Environment.ProcessorCount - 1),
        _ => Math.Max(1, DefaultConcurrency),
    };
}
