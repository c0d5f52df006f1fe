using System.Diagnostics.Metrics;

namespace Enforcement.Media.Storage.Jobs;

/// <summary>
/// The job queue: how long each job took by kind and outcome (in every process that runs jobs), and how
/// many wait and run by kind. The queue depth is a gauge over the last sample the ingest worker's
/// sampler read from PostgreSQL, so a scrape never waits on the catalogue and never multiplies its queries.
/// </summary>
public sealed class JobMetrics
{
    public const string MeterName = "Enforcement.Media.Jobs";

    public const string Succeeded = "succeeded";
    public const string WillRetry = "will_retry";
    public const string GaveUp = "gave_up";
    public const string LeaseLost = "lease_lost";

    private static readonly string[] LiveStates = ["queued", "running"];

    private static readonly IReadOnlyList<double> Buckets = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

    private readonly Histogram<double> _duration;
    private readonly ObservableGauge<long> _queue;
    private IReadOnlyList<Measurement<long>> _depth = [];

    public JobMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _duration = meter.CreateHistogram(
            "enforcement_media.job.duration",
            "s",
            "Time of one attempt at a job, by kind and outcome (succeeded, will_retry, gave_up, lease_lost).",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets });
        _queue = meter.CreateObservableGauge(
            "enforcement_media.job.queue.size",
            () => Volatile.Read(ref _depth),
            "{job}",
            "Jobs in the catalogue's queue by kind and state (queued, running), as last sampled (Jobs:QueueSampleInterval); every ingest process reports the same shared queue.");
    }

    /// <summary>False while no metrics reader listens: nothing to sample for.</summary>
    public bool QueueObserved => _queue.Enabled;

    public void Attempted(string kind, string outcome, TimeSpan elapsed) =>
        _duration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>
    /// Replaces the sample. Every kind this process handles is reported, 0 when none wait, so a drained
    /// queue reads 0 rather than vanishing.
    /// </summary>
    public void QueueSampled(IReadOnlyList<JobCount> counts, IEnumerable<string> handledKinds)
    {
        var byKind = counts.ToDictionary(c => (c.Kind, c.State), c => c.Count);
        var kinds = handledKinds.Concat(counts.Select(c => c.Kind)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        Volatile.Write(ref _depth, [.. kinds.SelectMany(kind => LiveStates.Select(state => new Measurement<long>(
            byKind.GetValueOrDefault((kind, state)),
            new KeyValuePair<string, object?>("kind", kind),
            new KeyValuePair<string, object?>("state", state))))]);
    }

    /// <summary>The catalogue could not be asked: no figure is better than a stale one.</summary>
    public void QueueUnknown() => Volatile.Write(ref _depth, []);
}
