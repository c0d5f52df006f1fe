namespace Enforcement.Media.Storage.Objects;

/// <summary>
/// Retention as the store itself reports it (read back, never assumed).
/// <paramref name="RetainUntil"/> is null when the object has no retention at all.
/// </summary>
public sealed record ObjectRetention(DateTimeOffset? RetainUntil, bool LegalHold, string Mode)
{
    public const string Compliance = "COMPLIANCE";

    public bool IsLockedAt(DateTimeOffset now) => LegalHold || (RetainUntil is { } until && until > now);
}
