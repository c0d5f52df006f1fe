namespace Enforcement.Media.Storage.Cases;

public sealed class CaseNotFoundException(string caseNumber) : Exception($"There is no case {caseNumber}.")
{
    public string CaseNumber { get; } = caseNumber;
}
