using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Cases;
using Enforcement.Media.Storage.Catalogue;
using Enforcement.Media.Storage.Jobs;
using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Storage.Objects.FileSystem;
using Enforcement.Media.Storage.Objects.S3;
using Enforcement.Media.Storage.Recordings;
using Enforcement.Media.Storage.Retention;
using Enforcement.Media.Storage.Startup;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// The catalogue, the evidence store chosen by <c>Store:Kind</c>, the job queue and the audit trail.
    /// Registers <see cref="StorageStartup"/> first, so a process never serves or ingests before the
    /// catalogue is migrated and the store has proved it can keep evidence immutable.
    /// </summary>
    public static IServiceCollection AddEvidenceStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<CatalogueOptions>().BindConfiguration(CatalogueOptions.Section);
        services.AddOptions<EvidenceStoreOptions>().BindConfiguration(EvidenceStoreOptions.Section);
        services.AddOptions<FileSystemStoreOptions>().BindConfiguration(FileSystemStoreOptions.Section);
        services.AddOptions<S3StoreOptions>().BindConfiguration(S3StoreOptions.Section);
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section);
        services.AddOptions<CasesOptions>().BindConfiguration(CasesOptions.Section);

        services.AddSingleton(provider => CatalogueDataSource.Create(
            configuration.GetConnectionString(CatalogueOptions.ConnectionStringName),
            provider.GetRequiredService<IOptions<CatalogueOptions>>().Value,
            provider.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<IEvidenceStore>(provider =>
            provider.GetRequiredService<IOptions<EvidenceStoreOptions>>().Value.Kind switch
            {
                EvidenceStoreKind.S3 => ActivatorUtilities.CreateInstance<S3EvidenceStore>(provider),
                _ => ActivatorUtilities.CreateInstance<FileSystemEvidenceStore>(provider),
            });

        services.AddSingleton<CatalogueMigrator>();
        services.AddSingleton<RetentionPolicy>();
        services.AddSingleton<PendingWriteStore>();
        services.AddSingleton<RecordingArchive>();
        services.AddSingleton<CaseValidator>();
        services.AddSingleton<CaseService>();
        services.AddSingleton<CaseCsvImport>();
        services.AddSingleton<RecordingLinker>();
        services.AddSingleton<CompletenessService>();
        services.AddSingleton<RetentionEnforcer>();
        services.AddSingleton<RetentionReconciler>();
        services.AddSingleton<DispositionService>();
        services.AddSingleton<LegalHoldService>();
        services.AddSingleton<JobQueue>();
        services.AddSingleton<AuditTrail>();
        services.AddSingleton<AuditSealer>();

        // Hosted services start in registration order: storage checks come before anything else.
        services.AddSingleton<StorageStartup>();
        services.AddHostedService(provider => provider.GetRequiredService<StorageStartup>());
        services.AddHostedService(provider => provider.GetRequiredService<AuditSealer>());
        return services;
    }
}
