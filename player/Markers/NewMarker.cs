namespace Enforcement.Media.Player.Markers;

/// <summary>The body of <c>POST /api/v1/recordings/{id}/markers</c>. Nullable, so a missing field is answered by name.</summary>
public sealed record NewMarker(double? AtSeconds, string? Note);
