namespace Enforcement.Media.Player.Retention;

/// <summary>A records manager's legal hold on one recording, active or released (holds from open cases are derived, not stored).</summary>
public sealed record LegalHoldRecord(
    Guid Id,
    Guid RecordingId,
    string OriginalName,
    string Reason,
    string PlacedBy,
    DateTimeOffset PlacedAt,
    string? ReleasedBy,
    DateTimeOffset? ReleasedAt,
    string? ReleaseReason)
{
    public bool IsActive => ReleasedAt is null;
}
