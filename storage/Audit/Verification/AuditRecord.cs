namespace Enforcement.Media.Storage.Audit.Verification;

/// <summary>
/// One chained audit event as stored: every field the hash covers, in the form it is hashed
/// (<paramref name="OccurredAt"/> as <c>yyyy-MM-ddTHH:mm:ss.ffffffZ</c>, <paramref name="Details"/> as the
/// canonical JSON text), plus the previous event's hash and its own.
/// </summary>
public sealed record AuditRecord(
    long Seq,
    string OccurredAt,
    string Actor,
    string Action,
    string SubjectType,
    string SubjectId,
    string Details,
    byte[] PrevHash,
    byte[] Hash)
{
    /// <summary>The hash this event must have, recomputed from its fields and its stored previous hash.</summary>
    public byte[] Recompute() => AuditHash.Compute(Seq, OccurredAt, Actor, Action, SubjectType, SubjectId, Details, PrevHash);
}
