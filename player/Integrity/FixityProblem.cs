namespace Enforcement.Media.Player.Integrity;

/// <summary>An original whose latest fixity check found it changed (<c>mismatch</c>), gone (<c>missing</c>) or unreadable.</summary>
public sealed record FixityProblem(
    Guid RecordingId, string OriginalName, string Outcome, string ExpectedSha256, string? ActualSha256, long ExpectedSize, long? ActualSize, string? Reason, DateTimeOffset CheckedAt);
