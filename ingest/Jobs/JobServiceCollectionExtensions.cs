namespace Enforcement.Media.Ingest.Jobs;

public static class JobServiceCollectionExtensions
{
    public static IServiceCollection AddJobs(this IServiceCollection services)
    {
        services.AddOptions<JobOptions>().BindConfiguration(JobOptions.Section)
            .Validate(o => o.QueueSampleInterval > TimeSpan.Zero, $"{JobOptions.Section}:QueueSampleInterval must be positive.")
            .ValidateOnStart();
        services.AddSingleton<JobMetrics>();
        services.AddSingleton<JobWorker>();
        services.AddHostedService(provider => provider.GetRequiredService<JobWorker>());
        services.AddSingleton<RecoveryService>();
        services.AddHostedService(provider => provider.GetRequiredService<RecoveryService>());
        services.AddHostedService<JobQueueSampler>();
        return services;
    }

    /// <summary>Registers a feature's handler; the worker finds it by its <see cref="IJobHandler.Kind"/>.</summary>
    public static IServiceCollection AddJobHandler<THandler>(this IServiceCollection services)
        where THandler : class, IJobHandler
    {
        services.AddSingleton<THandler>();
        services.AddSingleton<IJobHandler>(provider => provider.GetRequiredService<THandler>());
        return services;
    }
}
