using Enforcement.Media.Storage.Audit.Verification;
using Enforcement.Media.Storage.Objects;

namespace Enforcement.Media.Storage.Audit.Checkpoints;

/// <summary>A checkpoint written: what it signed, and the locked object that holds it.</summary>
public sealed record AuditCheckpoint(CheckpointDocument Document, SealedObject StoredObject);
