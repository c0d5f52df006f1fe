namespace Enforcement.Media.Storage.Retention;

/// <summary>What the store must hold for one recording, and why.</summary>
public sealed record RetentionPlan(Guid RecordingId, string Class, DateTimeOffset RetainUntil, bool LegalHold, IReadOnlyList<string> Reasons);
