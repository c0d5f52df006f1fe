using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Enforcement.Media.Tests.Infrastructure;

/// <summary>
/// Every measurement (of <c>long</c>) of the instruments whose meters one <see cref="IMeterFactory"/> made:
/// other apps in the test process have meters of the same names, which this ignores.
/// </summary>
public sealed class ScopedMeasurements : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, long Value, KeyValuePair<string, object?>[] Tags)> _measured = new();

    public ScopedMeasurements(IMeterFactory meterFactory)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == meterFactory)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => _measured.Enqueue((instrument.Name, value, tags.ToArray())));
        _listener.Start();
    }

    /// <summary>Every tag name used in any measurement.</summary>
    public IReadOnlySet<string> Tags => _measured.SelectMany(m => m.Tags).Select(t => t.Key).ToHashSet();

    /// <summary>The sum of the measurements of <paramref name="instrument"/> carrying at least these tags.</summary>
    public long Sum(string instrument, params (string Tag, string Value)[] tags) =>
        _measured.Where(m => m.Instrument == instrument && tags.All(t => m.Tags.Any(k => k.Key == t.Tag && Equals(k.Value, t.Value)))).Sum(m => m.Value);

    public void Dispose() => _listener.Dispose();
}
