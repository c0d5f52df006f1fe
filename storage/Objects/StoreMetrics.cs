using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Enforcement.Media.Storage.Objects;

/// <summary>How long the evidence store takes, per operation (<see cref="MeasuredEvidenceStore"/>).</summary>
public sealed class StoreMetrics
{
    public const string MeterName = "Enforcement.Media.Store";

    public const string Succeeded = "ok";
    public const string Failed = "error";
    public const string Cancelled = "cancelled";

    /// <summary>From a cached HEAD to a multi-GiB write: milliseconds to ten minutes.</summary>
    private static readonly IReadOnlyList<double> Buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

    private readonly Histogram<double> _duration;

    public StoreMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _duration = meter.CreateHistogram(
            "enforcement_media.store.operation.duration",
            "s",
            "Time of one evidence store operation (a whole write or list; a read until its stream is open), by operation, store (s3, filesystem) and outcome (ok, error, cancelled).",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets });
    }

    /// <summary>False while no metrics reader listens: the store is then called without timing.</summary>
    public bool Enabled => _duration.Enabled;

    /// <summary>Three constant-string tags: the histogram's allocation-free overload.</summary>
    public void Record(string store, string operation, string outcome, long startedTimestamp) =>
        _duration.Record(
            Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds,
            new KeyValuePair<string, object?>("operation", operation),
            new KeyValuePair<string, object?>("store", store),
            new KeyValuePair<string, object?>("outcome", outcome));
}
