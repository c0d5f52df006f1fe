using Enforcement.Media.Storage.Redactions;

namespace Enforcement.Media.Player.Redactions;

/// <summary>A suggestion run as the API shows it: its state and what it found, each suggestion with its decision.</summary>
public sealed record SuggestionRunBody(
    Guid RunId,
    Guid RecordingId,
    string State,
    string Detector,
    double SampleSeconds,
    int? FramesExamined,
    DateTimeOffset RequestedAt,
    DateTimeOffset? FinishedAt,
    string? Failure,
    IReadOnlyList<SuggestionBody> Suggestions)
{
    public static SuggestionRunBody Of(SuggestionRun run) => new(
        run.Id,
        run.RecordingId,
        run.State,
        run.Detector,
        run.SampleSeconds,
        run.FramesExamined,
        run.RequestedAt,
        run.FinishedAt,
        run.Failure,
        [.. run.Suggestions.Select(s => new SuggestionBody(s.Id, s.Kind, s.Keyframes, s.Score, s.Decision, s.DecidedAt))]);
}

/// <summary>One suggestion: its key positions are in the redaction spec's shape, ready to be put into a region.</summary>
public sealed record SuggestionBody(Guid SuggestionId, string Kind, IReadOnlyList<RegionKeyframe> Keyframes, double? Score, string? Decision, DateTimeOffset? DecidedAt);
