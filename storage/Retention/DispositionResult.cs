namespace Enforcement.Media.Storage.Retention;

/// <summary>
/// The outcome of a records manager's decision: <c>disposed</c> (every object version deleted and
/// confirmed absent; the catalogue keeps the tombstone) or <c>refused</c> (by policy, or by the
/// store because something is still locked — which is correct — with the reason).
/// </summary>
public sealed record DispositionResult(Guid RecordingId, string Outcome, string Detail);
