namespace Enforcement.Media.Storage.Retention;

/// <summary>
/// The outcome of a disposition step: <c>proposed</c> (waiting for a second records manager),
/// <c>disposed</c> (approved, every object version deleted and confirmed absent; the catalogue keeps the
/// tombstone) or <c>refused</c> (by the second records manager, by policy, or by the store because something
/// is still locked — which is correct — with the reason). <paramref name="EntryId"/> is the queue entry the
/// step decided, to approve or refuse a proposal by; null when a refusal left the queue as it was.
/// </summary>
public sealed record DispositionResult(Guid RecordingId, string Outcome, string Detail, Guid? EntryId = null);
