namespace Enforcement.Media.Storage.Retention;

/// <summary>Someone asked for a shorter retention than the one applied: refused (and audited), always.</summary>
public sealed class RetentionShorteningException(Guid recordingId, DateTimeOffset current, DateTimeOffset requested)
    : Exception($"Recording {recordingId} is retained until {current:O}; a period is never shortened (asked {requested:O}).")
{
    public Guid RecordingId { get; } = recordingId;
}
