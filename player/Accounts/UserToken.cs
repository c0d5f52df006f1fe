namespace Enforcement.Media.Player.Accounts;

/// <summary>An API token as its owner and the admins see it: never its secret, which exists only when it is issued.</summary>
public sealed record UserToken(Guid Id, string Name, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt);
