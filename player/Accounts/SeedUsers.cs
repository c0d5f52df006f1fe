using Enforcement.Media.Player.Admin;
using Enforcement.Media.Storage.Startup;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Player.Accounts;

/// <summary>
/// Creates the accounts listed in <c>Accounts:SeedUsers</c> that do not exist yet, with their units, at
/// start (after the first admin). Never changes an existing account or unit; every creation is audited
/// by <c>system:seed</c>. A listed account that cannot be created stops start-up naming the setting.
/// </summary>
public sealed partial class SeedUsers(
    UserStore users, UnitStore units, AccountService accounts, AdminService admin, IOptions<AccountOptions> options, ILogger<SeedUsers> logger) : IHostedService
{
    public const string Actor = "system:seed";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var listed = options.Value.SeedUsers;
        for (var i = 0; i < listed.Count; i++)
        {
            var seed = listed[i];
            var setting = $"{AccountOptions.Section}:SeedUsers:{i}";
            if (await users.FindForLoginAsync(seed.Username.Trim(), cancellationToken) is not null)
            {
                continue;
            }

            string password;
            try
            {
                password = (await File.ReadAllTextAsync(seed.PasswordFile, cancellationToken)).Trim();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
            {
                throw new StartupCheckException($"{setting}:PasswordFile", $"Cannot read the password of seed user '{seed.Username}': {ex.Message}", ex);
            }

            try
            {
                if (seed.UnitCode is { Length: > 0 } unit && !(await units.ListAsync(cancellationToken)).Any(u => u.Code == unit))
                {
                    await admin.CreateUnitAsync(unit, seed.UnitName ?? unit, null, Actor, cancellationToken);
                }

                await accounts.CreateAsync(seed.Username, seed.DisplayName ?? seed.Username, seed.UnitCode, seed.Roles, password, mustChangePassword: false, Actor, cancellationToken);
                LogCreated(seed.Username, seed.Roles, seed.UnitCode);
            }
            catch (AccountException ex)
            {
                throw new StartupCheckException(setting, $"Cannot create seed user '{seed.Username}': {ex.Message}", ex);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Created seed user {Username} ({Roles}) of unit {UnitCode}")]
    private partial void LogCreated(string username, IReadOnlyList<string> roles, string? unitCode);
}
