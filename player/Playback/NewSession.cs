namespace Enforcement.Media.Player.Playback;

/// <summary>The body of <c>POST /api/v1/recordings/{id}/sessions</c>; text fields, so bad values are answered naming the field.</summary>
/// <param name="RedactionId">With variant <c>redacted</c>: the redaction whose rendered output to watch.</param>
public sealed record NewSession(string? Reason, string? Variant, string? ApprovalId, string? RedactionId = null);
