using Enforcement.Media.Storage.Jobs;

namespace Enforcement.Media.Player.Exports;

public static class ExportServiceCollectionExtensions
{
    /// <summary>The export workflow, the package builder, and the job handler that builds approved packages in the player's job loop.</summary>
    public static IServiceCollection AddExports(this IServiceCollection services)
    {
        services.AddOptions<ExportOptions>().BindConfiguration(ExportOptions.Section);
        services.AddSingleton<ExportSigner>();
        services.AddSingleton<ExportStore>();
        services.AddSingleton<ExportService>();
        services.AddSingleton<CustodyStore>();
        services.AddSingleton<CustodyPlanner>();
        services.AddSingleton<PackageBuilder>();
        services.AddSingleton<PackageVault>();
        services.AddSingleton<ExportPackager>();
        services.AddJobHandler<ExportPackageJobHandler>();
        return services;
    }
}
