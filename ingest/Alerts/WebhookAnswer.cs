namespace Enforcement.Media.Ingest.Alerts;

/// <summary>What one attempt to deliver an alert came to: delivered on a 2xx; otherwise the status (if any) and why.</summary>
public sealed record WebhookAnswer(bool Delivered, int? Status, string? Error);
