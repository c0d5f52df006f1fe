namespace Enforcement.Media.Player.Integrity;

/// <summary>An alert a webhook never acknowledged, its attempts spent: what the outside world did not hear of.</summary>
public sealed record UndeliveredAlert(Guid AlertId, string Kind, DateTimeOffset OccurredAt, string Webhook, int Attempts, string? LastError, DateTimeOffset GaveUpAt);
