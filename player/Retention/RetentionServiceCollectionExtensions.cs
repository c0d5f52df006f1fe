namespace Enforcement.Media.Player.Retention;

public static class RetentionServiceCollectionExtensions
{
    /// <summary>The records managers' pages and API over the storage retention services.</summary>
    public static IServiceCollection AddRetentionDesk(this IServiceCollection services)
    {
        services.AddSingleton<RetentionQueries>();
        services.AddSingleton<RetentionViews>();
        services.AddSingleton<RetentionDesk>();
        services.AddSingleton<DestructionRegister>();
        return services;
    }
}
