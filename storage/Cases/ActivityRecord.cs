namespace Enforcement.Media.Storage.Cases;

/// <summary>An activity as the catalogue holds it, with its stage.</summary>
public sealed record ActivityRecord(
    Guid Id,
    Guid CaseId,
    Guid StageId,
    string StageCode,
    string ExternalId,
    string Type,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string? Place,
    IReadOnlyList<string> Officers);
