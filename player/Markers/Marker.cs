namespace Enforcement.Media.Player.Markers;

/// <summary>A moment of a recording a reviewer marked, with their note.</summary>
public sealed record Marker(Guid Id, Guid RecordingId, double AtSeconds, string Note, string CreatedBy, DateTimeOffset CreatedAt);
