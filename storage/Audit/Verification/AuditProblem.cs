namespace Enforcement.Media.Storage.Audit.Verification;

/// <summary>
/// One thing wrong with the trail. <paramref name="Seq"/> is the first sequence number it makes
/// untrustworthy (null for an object among the checkpoints that names none).
/// </summary>
public sealed record AuditProblem(long? Seq, AuditProblemKind Kind, string Reason)
{
    public override string ToString() => $"{(Seq is { } seq ? $"seq {seq}" : "no seq")}: {Kind}: {Reason}";
}
