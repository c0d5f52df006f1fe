namespace Enforcement.Media.Player.Accounts;

/// <summary>
/// An account the player creates at start when no user of that name exists (<c>Accounts:SeedUsers</c>):
/// for provisioning and the demo. Its unit is created too when missing. The password is read from
/// <see cref="PasswordFile"/>, never from configuration text, and is the operator's choice like the first
/// admin's: it need not be changed at the first sign-in.
/// </summary>
public sealed class SeedUser
{
    public string Username { get; set; } = string.Empty;

    public string? DisplayName { get; set; }

    public List<string> Roles { get; set; } = [];

    public string? UnitCode { get; set; }

    /// <summary>The unit's name, when the unit has to be created (else its code).</summary>
    public string? UnitName { get; set; }

    public string PasswordFile { get; set; } = string.Empty;
}
