namespace Enforcement.Media.Player.Statistics;

/// <summary>A recording disposed of, as its tombstone keeps it (what it was, who decided, when, why).</summary>
public sealed record DispositionItem(
    Guid RecordingId,
    string OriginalName,
    string Sha256,
    string? UnitCode,
    string? OfficerId,
    DateTimeOffset DisposedAt,
    string? DisposedBy,
    string? Reason);
