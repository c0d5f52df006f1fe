namespace Enforcement.Media.Player.Retention;

/// <summary>An entry of the disposition queue: pending, or decided (disposed or refused, with the outcome the store gave).</summary>
public sealed record DispositionDecision(
    Guid RecordingId,
    string OriginalName,
    string State,
    DateTimeOffset QueuedAt,
    string? DecidedBy,
    DateTimeOffset? DecidedAt,
    string? Reason,
    string? Outcome);
