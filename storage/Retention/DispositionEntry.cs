namespace Enforcement.Media.Storage.Retention;

/// <summary>One entry of the disposition queue as a decision on it needs it: its state and who proposed it, why.</summary>
public sealed record DispositionEntry(Guid Id, Guid RecordingId, string State, string? ProposedBy, string? ProposalReason);
