namespace Enforcement.Media.Player.Playback;

/// <summary>What starting a viewing needs to know about a recording: whether the viewer may see it, its classification, its timing.</summary>
public sealed record RecordingFacts(Guid Id, bool Visible, string Classification, double? FramesPerSecond, double? DurationSeconds);
