namespace Enforcement.Media.Tests.Telemetry;

/// <summary>
/// The metrics tests run alone. OpenTelemetry listens to meters by name, process-wide, so a player or
/// an ingest app another test class runs at the same time would move the very counters these tests
/// assert exact changes of.
/// </summary>
[CollectionDefinition(nameof(TelemetryCollection), DisableParallelization = true)]
public sealed class TelemetryCollection;
