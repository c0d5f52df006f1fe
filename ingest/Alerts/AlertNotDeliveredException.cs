namespace Enforcement.Media.Ingest.Alerts;

/// <summary>Some webhooks did not acknowledge an alert and attempts are left: the job fails, and the job loop tries again after its backoff.</summary>
public sealed class AlertNotDeliveredException(Guid alertId, IReadOnlyList<string> failing)
    : Exception($"Alert {alertId} not delivered to {string.Join("; ", failing)}")
{
    public Guid AlertId { get; } = alertId;
}
