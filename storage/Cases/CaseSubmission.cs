namespace Enforcement.Media.Storage.Cases;

/// <summary>What happened to one submitted case. Nothing is written when <see cref="Problems"/> has an error.</summary>
public sealed record CaseSubmission(Guid? CaseId, CaseSubmissionOutcome Outcome, IReadOnlyList<InputProblem> Problems)
{
    public bool Accepted => Outcome != CaseSubmissionOutcome.Rejected;
}
