namespace Enforcement.Media.Storage.Audit.Verification;

/// <summary>A checkpoint whose signature verified and that the chain passes through.</summary>
public sealed record VerifiedCheckpoint(string Source, long Seq, string Hash, string SignedAt, string KeyId);
