namespace Enforcement.Media.Player.Links;

/// <summary>An activity a link may name, with its stage.</summary>
public sealed record LinkableActivity(Guid Id, string ExternalId, Guid StageId, string StageCode);
