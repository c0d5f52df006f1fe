namespace Enforcement.Media.Storage.Audit.Verification;

/// <summary>
/// The verdict on a chain: how much was checked, which checkpoints it passes through, and every
/// problem found — <see cref="FirstProblem"/> is the answer to "where does it go wrong".
/// </summary>
public sealed record AuditVerification(
    long? FirstSeq,
    long? LastSeq,
    long Events,
    IReadOnlyList<VerifiedCheckpoint> Checkpoints,
    IReadOnlyList<AuditProblem> Problems,
    IReadOnlyList<string> Notes)
{
    public bool IsValid => Problems.Count == 0;

    /// <summary>The problem with the lowest sequence number; problems that name none come last.</summary>
    public AuditProblem? FirstProblem => Problems.OrderBy(p => p.Seq ?? long.MaxValue).FirstOrDefault();
}
