using Enforcement.Media.Storage.Jobs;

namespace Enforcement.Media.Ingest.Cases;

public static class CasesServiceCollectionExtensions
{
    /// <summary>Linking and retention jobs, and the periodic disposition scan.</summary>
    public static IServiceCollection AddCaseJobs(this IServiceCollection services)
    {
        services.AddOptions<RetentionScheduleOptions>().BindConfiguration(RetentionScheduleOptions.Section);
        services.AddJobHandler<LinkRecordingJobHandler>();
        services.AddJobHandler<LinkActivityJobHandler>();
        services.AddJobHandler<RetentionJobHandler>();
        services.AddHostedService<DispositionScanService>();
        return services;
    }
}
