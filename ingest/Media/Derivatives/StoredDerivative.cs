using Enforcement.Media.Storage.Hashing;
using Enforcement.Media.Storage.Objects;

namespace Enforcement.Media.Ingest.Media.Derivatives;

/// <summary>A derivative sealed in the store and catalogued with its provenance.</summary>
public sealed record StoredDerivative(Guid DerivationId, Guid ObjectId, ObjectRef Location, Sha256Digest Sha256, long Size, ObjectRetention Retention);
