namespace Enforcement.Media.Player.Links;

/// <summary>A link a person asks to remove: how it was made, whether it is still live, and whether its case is one the viewer may see.</summary>
public sealed record LinkToRemove(Guid Id, string Method, DateTime? UnlinkedAt, string? UnlinkedBy, bool CaseVisible);
