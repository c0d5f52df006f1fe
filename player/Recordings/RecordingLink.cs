namespace Enforcement.Media.Player.Recordings;

/// <summary>
/// A live link of the recording to a case, and the stage and activity it names (<paramref name="ActivityId"/>
/// as the case system gave it); how it was made — <c>auto</c> by the linker (officer and time) or <c>manual</c>
/// by a person —, by whom, when and why.
/// </summary>
public sealed record RecordingLink(
    Guid LinkId,
    string CaseNumber,
    string? StageCode,
    string? StageName,
    string? ActivityId,
    string? ActivityType,
    string Method,
    string LinkedBy,
    DateTimeOffset LinkedAt,
    string? Reason);
