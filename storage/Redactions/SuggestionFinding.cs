namespace Enforcement.Media.Storage.Redactions;

/// <summary>A suggestion as a detector found it, before it is stored with its run.</summary>
public sealed record SuggestionFinding(string Kind, IReadOnlyList<RegionKeyframe> Keyframes, double Score);
