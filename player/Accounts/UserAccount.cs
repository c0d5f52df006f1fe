namespace Enforcement.Media.Player.Accounts;

/// <summary>A user as the catalogue holds it (without the password hash).</summary>
public sealed record UserAccount(
    Guid Id,
    string Username,
    string DisplayName,
    string? UnitCode,
    IReadOnlyList<string> Roles,
    Guid SecurityStamp,
    DateTimeOffset? DisabledAt,
    bool PasswordMustChange)
{
    public bool IsInRole(string role) => Roles.Contains(role);
}
