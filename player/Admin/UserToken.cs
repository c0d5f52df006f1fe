namespace Enforcement.Media.Player.Admin;

/// <summary>An API token as an admin sees it: never its secret, which exists only when it is issued.</summary>
public sealed record UserToken(Guid Id, string Name, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt);
