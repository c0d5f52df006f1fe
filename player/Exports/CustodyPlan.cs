using Enforcement.Media.Storage.Audit.Verification;

namespace Enforcement.Media.Player.Exports;

/// <summary>
/// What goes into a package's chain-of-custody report: every audit event on the exported recordings and
/// on the export itself, the chain segments that tie them to signed checkpoints, those checkpoints as the
/// store holds them, the audit public keys to check them with, and what the build-time check found.
/// </summary>
public sealed record CustodyPlan(
    IReadOnlyList<AuditRecord> Events,
    IReadOnlyDictionary<long, long> AnchorOf,
    IReadOnlyList<ChainSegment> Segments,
    IReadOnlyList<CheckpointObject> Checkpoints,
    IReadOnlyList<AuditPublicKey> Keys,
    IReadOnlyList<string> Findings);
