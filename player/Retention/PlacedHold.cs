namespace Enforcement.Media.Player.Retention;

public sealed record PlacedHold(Guid HoldId, Guid RecordingId);
