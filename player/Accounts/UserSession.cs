namespace Enforcement.Media.Player.Accounts;

/// <summary>A live browser session of a user, as the account page lists it.</summary>
public sealed record UserSession(Guid Id, DateTimeOffset CreatedAt, DateTimeOffset LastSeenAt, DateTimeOffset ExpiresAt, string ClientAddress, string UserAgent);
