namespace Enforcement.Media.Player.Accounts;

/// <summary>Configuration section <c>Accounts</c>.</summary>
public sealed class AccountOptions
{
    public const string Section = "Accounts";

    /// <summary>PBKDF2-SHA256 iterations for new password hashes (OWASP 2023: 600,000). Old hashes are upgraded at login.</summary>
    public int PasswordIterations { get; set; } = 600_000;

    /// <summary>Failed sign-ins for one username from one source before that source must wait to try that username again.</summary>
    public int MaxFailedLogins { get; set; } = 5;

    /// <summary>The first wait once a limit is reached; every further failure doubles it, up to <see cref="MaxLockoutDuration"/>.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan MaxLockoutDuration { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Failed sign-ins from one source, whatever the usernames, before it must wait (guessing across accounts).</summary>
    public int MaxFailedLoginsPerSource { get; set; } = 20;

    /// <summary>
    /// Failed sign-ins for one username from all sources before sign-ins for it must wait — except from a
    /// browser that signed in as that user before (guessing from many addresses).
    /// </summary>
    public int MaxFailedLoginsPerUsername { get; set; } = 50;

    /// <summary>A count of failures with none newer than this starts again from nothing.</summary>
    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a browser that signed in is remembered as the user's own (exempt from the per-username wait).</summary>
    public TimeSpan KnownDeviceLifetime { get; set; } = TimeSpan.FromDays(180);

    /// <summary>A browser session ends after this long without activity.</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromHours(8);

    public TimeSpan ApiTokenLifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>When no user exists yet, an admin with this name is created on start (needs <see cref="BootstrapAdminPassword"/>).</summary>
    public string BootstrapAdminUsername { get; set; } = "admin";

    /// <summary>Password of the first admin; only used while the user table is empty. Change it after the first login.</summary>
    public string? BootstrapAdminPassword { get; set; }

    /// <summary>Accounts (and their units) created at start when missing; existing ones are never touched.</summary>
    public List<SeedUser> SeedUsers { get; set; } = [];
}
