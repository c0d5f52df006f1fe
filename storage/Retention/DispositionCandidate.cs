namespace Enforcement.Media.Storage.Retention;

/// <summary>A recording waiting in the disposition queue for a records manager's decision.</summary>
public sealed record DispositionCandidate(Guid QueueId, Guid RecordingId, string Sha256, string OriginalName, string RetentionClass, DateTimeOffset RetainedUntil, DateTimeOffset QueuedAt);
