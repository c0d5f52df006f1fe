namespace Enforcement.Media.Ingest.Alerts;

/// <summary>
/// One receiver of alerts (<c>Alerts:Webhooks:N</c>). <see cref="Name"/> is what the audit trail and the
/// delivery records call it — never the URL, which may carry a token, and never the secret.
/// </summary>
public sealed class AlertWebhook
{
    public string Name { get; set; } = string.Empty;

    /// <summary>https; plain http only to a loopback address (a receiver on the same machine).</summary>
    public string Url { get; set; } = string.Empty;

    /// <summary>The HMAC-SHA256 key both sides hold; at least 32 characters.</summary>
    public string Secret { get; set; } = string.Empty;

    /// <summary>Its name only: a webhook written into a log or a message never shows its URL or secret.</summary>
    public override string ToString() => Name;
}
