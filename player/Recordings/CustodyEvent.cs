namespace Enforcement.Media.Player.Recordings;

/// <summary>
/// One audit event about the recording. <paramref name="Seq"/> is its place in the hash chain; null while it
/// still waits in the outbox for the sealer (seconds at most), so a fresh event is shown rather than hidden.
/// </summary>
public sealed record CustodyEvent(long? Seq, DateTimeOffset OccurredAt, string Actor, string Action, string Details);
