namespace Enforcement.Media.Storage.Audit.Verification;

public enum AuditProblemKind
{
    /// <summary>A sequence number has no event: events were deleted.</summary>
    Missing,

    /// <summary>An event appears again or before one it should follow.</summary>
    OutOfOrder,

    /// <summary>An event's previous hash is not the hash of the event before it.</summary>
    BrokenLink,

    /// <summary>An event's fields do not hash to its stored hash: the event was changed.</summary>
    HashMismatch,

    /// <summary>The chain does not pass through a valid checkpoint: events up to it were rewritten.</summary>
    CheckpointMismatch,

    /// <summary>A valid checkpoint lies beyond the end of the chain: the tail was cut off.</summary>
    Truncated,

    /// <summary>A checkpoint names a trusted key but its signature does not verify.</summary>
    ForgedCheckpoint,

    /// <summary>A checkpoint is signed by a key nobody trusts.</summary>
    UnknownKey,

    /// <summary>An object among the checkpoints is not a checkpoint at all.</summary>
    UnreadableCheckpoint,
}
