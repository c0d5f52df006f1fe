using Enforcement.Media.Storage.Redactions;

namespace Enforcement.Media.Ingest.Media.Suggestions;

/// <summary>What a run found: how many frames it examined, and the faces it offers.</summary>
public sealed record FaceSuggestions(int FramesExamined, IReadOnlyList<SuggestionFinding> Findings);
