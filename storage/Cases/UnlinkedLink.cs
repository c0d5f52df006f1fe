namespace Enforcement.Media.Storage.Cases;

/// <summary>A link just marked unlinked: what it tied, and whether the linker (<c>auto</c>) or a person (<c>manual</c>) had made it.</summary>
public sealed record UnlinkedLink(Guid RecordingId, Guid CaseId, string CaseNumber, Guid? ActivityId, string? ActivityExternalId, string Method);
