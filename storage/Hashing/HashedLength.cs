namespace Enforcement.Media.Storage.Hashing;

public readonly record struct HashedLength(Sha256Digest Sha256, long Length);
