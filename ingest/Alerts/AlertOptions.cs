namespace Enforcement.Media.Ingest.Alerts;

/// <summary>
/// Configuration section <c>Alerts</c>: where the ingest worker sends the alerts that integrity findings raise,
/// and how hard it tries. Without webhooks, alerts are still raised and kept (and shown nowhere but the
/// catalogue); the worker logs that it had nowhere to send them.
/// </summary>
public sealed class AlertOptions
{
    public const string Section = "Alerts";

    /// <summary>The receivers; each gets every alert, signed with its own secret.</summary>
    public List<AlertWebhook> Webhooks { get; set; } = [];

    /// <summary>Attempts per alert and webhook before the delivery is given up (and audited as failed); at most 100.</summary>
    public int MaxAttempts { get; set; } = 12;

    /// <summary>How long one attempt waits for the receiver's answer.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}
