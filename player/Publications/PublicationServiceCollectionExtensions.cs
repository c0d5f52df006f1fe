namespace Enforcement.Media.Player.Publications;

public static class PublicationServiceCollectionExtensions
{
    /// <summary>Publication (公示): requests, decisions, withdrawals and the rate-limited public address.</summary>
    public static IServiceCollection AddPublications(this IServiceCollection services)
    {
        services.AddOptions<PublicationOptions>().BindConfiguration(PublicationOptions.Section)
            .Validate(o => !string.IsNullOrWhiteSpace(o.Agency), $"{PublicationOptions.Section}:Agency names the agency in the watermark.")
            .Validate(o => o.DefaultDays >= 1 && o.MaxDays >= o.DefaultDays, $"{PublicationOptions.Section}:DefaultDays is at least 1 and MaxDays not below it.")
            .Validate(o => o.PublicRequestsPerMinute >= 1, $"{PublicationOptions.Section}:PublicRequestsPerMinute is at least 1.")
            .ValidateOnStart();
        services.AddSingleton<PublicationService>();
        services.AddSingleton<ReadyRedactions>();
        services.AddSingleton<PublicViewLog>();
        services.AddHostedService(provider => provider.GetRequiredService<PublicViewLog>());
        services.AddPublicRateLimit();
        return services;
    }
}
