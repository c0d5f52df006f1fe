namespace Enforcement.Media.Storage.Audit.Verification;

/// <summary>
/// What a checkpoint asserts: "event <see cref="Seq"/> of the chain has hash <see cref="Hash"/>",
/// signed at <see cref="SignedAt"/> by the key <see cref="KeyId"/>. Its canonical JSON (keys sorted,
/// no whitespace) is the exact byte string that is signed, e.g.
/// <c>{"format":"enforcement-media/audit-checkpoint/1","hash":"…64 hex…","keyId":"…64 hex…","seq":42,"signedAt":"2026-11-22T08:00:00.000000Z"}</c>.
/// </summary>
public sealed record CheckpointStatement(long Seq, string Hash, string SignedAt, string KeyId)
{
    public const string Format = "enforcement-media/audit-checkpoint/1";

    public string ToCanonicalJson() => CanonicalJson.Serialize(new { format = Format, hash = Hash, keyId = KeyId, seq = Seq, signedAt = SignedAt });
}
