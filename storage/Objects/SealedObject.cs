using Enforcement.Media.Storage.Hashing;

namespace Enforcement.Media.Storage.Objects;

/// <summary>
/// A locked object: retention read back from the store. <paramref name="AlreadyStored"/> is true
/// when a content-addressed store found these exact bytes already there and kept the old copy.
/// </summary>
public sealed record SealedObject(ObjectRef Location, Sha256Digest Sha256, long Size, ObjectRetention Retention, bool AlreadyStored);
