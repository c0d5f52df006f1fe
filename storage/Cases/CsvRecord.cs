namespace Enforcement.Media.Storage.Cases;

/// <summary>One CSV record and the line it starts on.</summary>
public sealed record CsvRecord(int Line, IReadOnlyList<string> Fields);
