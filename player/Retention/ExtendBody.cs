namespace Enforcement.Media.Player.Retention;

/// <summary>Keep a recording at least until <paramref name="RetainUntil"/> (ISO 8601 with an offset), for a reason.</summary>
public sealed record ExtendBody(DateTimeOffset? RetainUntil, string? Reason);
