namespace Enforcement.Media.Storage.Fixity;

/// <summary>
/// A finished run: how many originals were checked, every one that was not verified, and how many
/// the catalogue holds in another evidence store than this process's (checked by a process configured for it).
/// </summary>
public sealed record FixityRun(Guid RunId, FixityScope Scope, int Checked, int Verified, IReadOnlyList<FixityResult> Problems, long InOtherStores)
{
    public bool HasProblems => Problems.Count > 0;

    public int Count(FixityOutcome outcome) => outcome == FixityOutcome.Verified ? Verified : Problems.Count(p => p.Outcome == outcome);
}
