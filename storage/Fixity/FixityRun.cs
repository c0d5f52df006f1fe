namespace Enforcement.Media.Storage.Fixity;

/// <summary>A finished run: how many originals were checked, and every one that was not verified.</summary>
public sealed record FixityRun(Guid RunId, FixityScope Scope, int Checked, int Verified, IReadOnlyList<FixityResult> Problems)
{
    public bool HasProblems => Problems.Count > 0;

    public int Count(FixityOutcome outcome) => outcome == FixityOutcome.Verified ? Verified : Problems.Count(p => p.Outcome == outcome);
}
