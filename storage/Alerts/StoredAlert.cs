namespace Enforcement.Media.Storage.Alerts;

/// <summary>An alert as the outbox holds it: <paramref name="Body"/> is the exact JSON every attempt sends.</summary>
public sealed record StoredAlert(Guid Id, string Kind, string SubjectType, string SubjectId, DateTimeOffset OccurredAt, string Body);
