namespace Enforcement.Media.Player.Recordings;

/// <summary>A live link of the recording to a case, and the stage and activity it names.</summary>
public sealed record RecordingLink(string CaseNumber, string? StageCode, string? StageName, string? ActivityId, string? ActivityType, string Method, DateTimeOffset LinkedAt);
