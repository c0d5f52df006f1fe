namespace Enforcement.Media.Storage.Cases;

/// <summary>One activity inside a stage: what was done, when, where, by whom.</summary>
public sealed record ActivityInput(
    string ExternalId,
    string Stage,
    string Type,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string? Place,
    IReadOnlyList<string> Officers);
