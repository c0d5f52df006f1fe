using Enforcement.Media.Storage.Stations;

namespace Enforcement.Media.Player.Admin;

public static class AdminServiceCollectionExtensions
{
    /// <summary>What the admin pages need beyond accounts: token listing and the station/device/case-system keys.</summary>
    public static IServiceCollection AddAdministration(this IServiceCollection services)
    {
        services.AddSingleton<UserTokenStore>();
        services.AddSingleton<ApiKeyStore>();
        return services;
    }
}
