namespace Enforcement.Media.Storage.Redactions;

/// <summary>
/// One region a detector offers: what it takes to be one face across sampled frames, as key positions
/// in the redaction spec's shape (normalised to the upright picture). Never applied by itself: a
/// reviewer accepts or rejects it, once.
/// </summary>
/// <param name="Score">How sure the detector is; for faces, how many sampled frames it was found in.</param>
public sealed record Suggestion(
    Guid Id,
    Guid RunId,
    string Kind,
    IReadOnlyList<RegionKeyframe> Keyframes,
    double? Score,
    string? Decision,
    Guid? DecidedBy,
    DateTimeOffset? DecidedAt);
