using Microsoft.Extensions.Options;

namespace Enforcement.Media.Player.Accounts;

/// <summary>
/// Creates the first admin when the user table is empty and <c>Accounts:BootstrapAdminPassword</c>
/// is set (e.g. env <c>Accounts__BootstrapAdminPassword</c>). Never touches an existing user.
/// </summary>
public sealed partial class BootstrapAdmin(UserStore users, AccountService accounts, IOptions<AccountOptions> options, ILogger<BootstrapAdmin> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.BootstrapAdminPassword is not { Length: > 0 } password || await users.CountAsync(cancellationToken) > 0)
        {
            return;
        }

        try
        {
            await accounts.CreateAsync(options.Value.BootstrapAdminUsername, "Administrator", null, [Roles.Admin], password, mustChangePassword: false, "system:bootstrap", cancellationToken);
            LogCreated(options.Value.BootstrapAdminUsername);
        }
        catch (AccountException ex)
        {
            throw new Storage.Startup.StartupCheckException($"{AccountOptions.Section}:BootstrapAdminPassword", $"Cannot create the first admin: {ex.Message}", ex);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Created the first admin {Username}; change its password after the first login")]
    private partial void LogCreated(string username);
}
