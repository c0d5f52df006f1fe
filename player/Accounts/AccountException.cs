namespace Enforcement.Media.Player.Accounts;

/// <summary>An account request that cannot be carried out as asked; the message says why, for the person asking.</summary>
public sealed class AccountException(string message) : Exception(message);
