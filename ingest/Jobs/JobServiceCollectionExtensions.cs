using Enforcement.Media.Storage.Jobs;

namespace Enforcement.Media.Ingest.Jobs;

public static class JobServiceCollectionExtensions
{
    /// <summary>The ingest worker's jobs: the shared job loop, recovery after dead processes, and the queue's depth for the metrics.</summary>
    public static IServiceCollection AddJobs(this IServiceCollection services)
    {
        services.AddJobWorker();
        services.AddOptions<JobOptions>()
            .Validate(o => o.QueueSampleInterval > TimeSpan.Zero, $"{JobOptions.Section}:QueueSampleInterval must be positive.")
            .ValidateOnStart();
        services.AddSingleton<RecoveryService>();
        services.AddHostedService(provider => provider.GetRequiredService<RecoveryService>());
        services.AddHostedService<JobQueueSampler>();
        return services;
    }
}
