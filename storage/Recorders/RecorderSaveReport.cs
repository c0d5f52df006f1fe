namespace Enforcement.Media.Storage.Recorders;

/// <summary>
/// The outcome of saving register entries: how many were created, updated or already so — or, when
/// <see cref="Problems"/> is not empty, why none was saved (all or nothing).
/// </summary>
public sealed record RecorderSaveReport(int Created, int Updated, int Unchanged, IReadOnlyList<RecorderProblem> Problems)
{
    public bool Saved => Problems.Count == 0;
}
