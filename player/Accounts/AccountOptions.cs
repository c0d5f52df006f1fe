namespace Enforcement.Media.Player.Accounts;

/// <summary>Configuration section <c>Accounts</c>.</summary>
public sealed class AccountOptions
{
    public const string Section = "Accounts";

    /// <summary>PBKDF2-SHA256 iterations for new password hashes (OWASP 2023: 600,000). Old hashes are upgraded at login.</summary>
    public int PasswordIterations { get; set; } = 600_000;

    /// <summary>Failed logins in a row before the account locks.</summary>
    public int MaxFailedLogins { get; set; } = 5;

    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A browser session ends after this long without activity.</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromHours(8);

    public TimeSpan ApiTokenLifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>When no user exists yet, an admin with this name is created on start (needs <see cref="BootstrapAdminPassword"/>).</summary>
    public string BootstrapAdminUsername { get; set; } = "admin";

    /// <summary>Password of the first admin; only used while the user table is empty. Change it after the first login.</summary>
    public string? BootstrapAdminPassword { get; set; }
}
