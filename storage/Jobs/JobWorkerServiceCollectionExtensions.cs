using Microsoft.Extensions.DependencyInjection;

namespace Enforcement.Media.Storage.Jobs;

public static class JobWorkerServiceCollectionExtensions
{
    /// <summary>
    /// The job loop (<see cref="JobWorker"/>) of a process that runs queued jobs, with its metrics and
    /// wake-up; each feature brings its handlers with <see cref="AddJobHandler{THandler}"/>.
    /// </summary>
    /// <param name="defaults">This host's defaults, applied before the <c>Jobs</c> section, whose keys override them.</param>
    public static IServiceCollection AddJobWorker(this IServiceCollection services, Action<JobOptions>? defaults = null)
    {
        var options = services.AddOptions<JobOptions>();
        if (defaults is not null)
        {
            options.Configure(defaults);
        }

        options.BindConfiguration(JobOptions.Section);
        services.AddSingleton<JobMetrics>();
        services.AddSingleton<JobWakeup>();
        services.AddSingleton<JobWorker>();
        services.AddHostedService(provider => provider.GetRequiredService<JobWorker>());
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
