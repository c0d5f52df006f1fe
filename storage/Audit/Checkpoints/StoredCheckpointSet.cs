using Enforcement.Media.Storage.Audit.Verification;

namespace Enforcement.Media.Storage.Audit.Checkpoints;

/// <summary>The locked checkpoint objects in a store, and the unlocked objects found among them (set aside).</summary>
public sealed record StoredCheckpointSet(IReadOnlyList<CheckpointObject> Checkpoints, IReadOnlyList<string> Unlocked);
