namespace Enforcement.Media.Storage.Cases;

/// <summary>The outcome of one CSV import: counts, and every problem by line and field.</summary>
public sealed record CsvImportReport(int CasesCreated, int CasesUpdated, int CasesUnchanged, int RowsImported, IReadOnlyList<InputProblem> Problems)
{
    public bool HasErrors => Problems.Any(p => p.IsError);
}
