namespace Enforcement.Media.Player.Links;

/// <summary>A case a link may name, as the viewer may see it.</summary>
public sealed record LinkableCase(Guid Id, string CaseNumber, string? UnitCode, string Status);
