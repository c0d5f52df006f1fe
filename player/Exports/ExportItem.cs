namespace Enforcement.Media.Player.Exports;

/// <summary>One recording named by an export request, as the pages show it.</summary>
public sealed record ExportItem(int Ordinal, Guid RecordingId, string OriginalName, string Sha256, long Size, string Classification, IReadOnlyList<string> CaseNumbers);
