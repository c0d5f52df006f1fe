namespace Enforcement.Media.Ingest.Media.Suggestions;

/// <summary>
/// A run cannot succeed however often it is tried (no picture, an unplayable recording, a cascade file
/// missing): the run fails at once with <see cref="Exception.Message"/> as the reason a person reads.
/// </summary>
public sealed class SuggestionFailedException(string reason) : Exception(reason);
