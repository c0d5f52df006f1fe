using Enforcement.Media.Storage.Fixity;
using Enforcement.Media.Storage.Jobs;

namespace Enforcement.Media.Ingest.Fixity;

public static class FixityServiceCollectionExtensions
{
    /// <summary>Fixity checks: the checker, the <c>fixity</c> job and the scheduler that queues a sample run each period.</summary>
    public static IServiceCollection AddFixity(this IServiceCollection services)
    {
        services.AddOptions<FixityOptions>().BindConfiguration(FixityOptions.Section);
        services.AddSingleton<FixityStore>();
        services.AddSingleton<FixityMetrics>();
        services.AddSingleton<FixityChecker>();
        services.AddJobHandler<FixityJobHandler>();
        services.AddHostedService<FixityScheduler>();
        return services;
    }
}
