using Enforcement.Media.Storage.Hashing;
using Enforcement.Media.Storage.Objects;

namespace Enforcement.Media.Ingest.Docks;

/// <summary>The stored copy of a delivery as read back from the evidence store: its SHA-256 and length, computed from the store's bytes.</summary>
public sealed record VerifiedCopy(string Store, ObjectRef Location, Sha256Digest Sha256, long Size);
