namespace Enforcement.Media.Player.Integrity;

public static class IntegrityServiceCollectionExtensions
{
    /// <summary>The supervisors' integrity page and its API: fixity findings, quarantined deliveries, the audit trail's last verification.</summary>
    public static IServiceCollection AddIntegrity(this IServiceCollection services) => services.AddSingleton<IntegrityQueries>();
}
