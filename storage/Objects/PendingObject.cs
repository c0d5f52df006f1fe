using Enforcement.Media.Storage.Hashing;

namespace Enforcement.Media.Storage.Objects;

/// <summary>
/// An object whose bytes are durably in the store and whose SHA-256 is known, but which is not
/// yet locked. It becomes evidence by <see cref="IEvidenceStore.SealAsync"/>, or is removed by
/// <see cref="IEvidenceStore.DiscardAsync"/> when the same content is already stored.
/// </summary>
public sealed record PendingObject(ObjectWrite Write, ObjectRef Location, Sha256Digest Sha256, long Size);
