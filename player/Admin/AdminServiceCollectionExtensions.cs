using Enforcement.Media.Storage.Stations;

namespace Enforcement.Media.Player.Admin;

public static class AdminServiceCollectionExtensions
{
    /// <summary>What the admin pages need beyond accounts: the station, device and case-system keys.</summary>
    public static IServiceCollection AddAdministration(this IServiceCollection services)
    {
        services.AddSingleton<ApiKeyStore>();
        return services;
    }
}
