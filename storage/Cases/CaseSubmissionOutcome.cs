namespace Enforcement.Media.Storage.Cases;

public enum CaseSubmissionOutcome
{
    Created,
    Updated,
    Unchanged,
    Rejected,
}
