namespace Enforcement.Media.Player.Accounts;

/// <summary>The outcome of a login attempt; <see cref="User"/> only on success.</summary>
public sealed record LoginResult(LoginOutcome Outcome, UserAccount? User, DateTimeOffset? LockedUntil = null);
