namespace Enforcement.Media.Player.Statistics;

/// <summary>A fixity finding: a re-read of an original that did not verify.</summary>
public sealed record FixityItem(
    long CheckId,
    DateTimeOffset CheckedAt,
    Guid RecordingId,
    string OriginalName,
    string Outcome,
    string? Reason,
    string ExpectedSha256,
    string? ActualSha256);
