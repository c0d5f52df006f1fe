namespace Enforcement.Media.Storage.Redactions;

/// <summary>One request to look for faces in a recording, with what it found once ready.</summary>
/// <param name="Detector">What looked: set when requested, replaced by the worker with exactly what ran (library version and cascade files).</param>
/// <param name="SampleSeconds">One frame was examined every this many seconds.</param>
/// <param name="FramesExamined">How many sampled frames the detector examined; set when ready.</param>
public sealed record SuggestionRun(
    Guid Id,
    Guid RecordingId,
    Guid RequestedBy,
    DateTimeOffset RequestedAt,
    string State,
    string Detector,
    double SampleSeconds,
    int? FramesExamined,
    DateTimeOffset? FinishedAt,
    string? Failure,
    IReadOnlyList<Suggestion> Suggestions);
