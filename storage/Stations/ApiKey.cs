namespace Enforcement.Media.Storage.Stations;

/// <summary>A station's or device's API key as the catalogue knows it; the secret itself is never kept.</summary>
public sealed record ApiKey(
    Guid Id,
    string Name,
    ApiKeyKind Kind,
    string? StationId,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset? RevokedAt,
    string? RevokedBy,
    DateTimeOffset? LastUsedAt)
{
    /// <summary>How the audit trail names what this key did.</summary>
    public string Actor => $"key:{Name}";

    public bool IsRevoked => RevokedAt is not null;
}
