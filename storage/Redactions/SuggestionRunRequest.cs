namespace Enforcement.Media.Storage.Redactions;

/// <summary>The run a request got: a new one, or the one already queued or running for that recording.</summary>
public sealed record SuggestionRunRequest(SuggestionRun Run, bool Created);
