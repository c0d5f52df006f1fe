namespace Enforcement.Media.Storage.Retention;

/// <summary>A case a recording is linked to, as far as retention cares.</summary>
public sealed record LinkedCaseFacts(string CaseNumber, string Status, DateTimeOffset? ClosedAt, DateTimeOffset? ArchivedAt, IReadOnlyList<string> Flags);
