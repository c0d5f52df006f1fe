namespace Enforcement.Media.Player.Playback;

/// <summary>The body of <c>POST /api/v1/recordings/{id}/sessions</c>; text fields, so bad values are answered naming the field.</summary>
public sealed record NewSession(string? Reason, string? Variant, string? ApprovalId);
