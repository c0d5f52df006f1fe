using Enforcement.Media.Storage.Alerts;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Audit.Checkpoints;
using Enforcement.Media.Storage.Cases;
using Enforcement.Media.Storage.Catalogue;
using Enforcement.Media.Storage.Jobs;
using Enforcement.Media.Storage.Media;
using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Storage.Objects.FileSystem;
using Enforcement.Media.Storage.Objects.S3;
using Enforcement.Media.Storage.Publications;
using Enforcement.Media.Storage.Recordings;
using Enforcement.Media.Storage.Redactions;
using Enforcement.Media.Storage.Retention;
using Enforcement.Media.Storage.Startup;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Enforcement.Media.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// The catalogue, the evidence store chosen by <c>Store:Kind</c> (timed by <see cref="MeasuredEvidenceStore"/>),
    /// the job queue and the audit trail (sealer, checkpoints, verifier).
    /// Registers <see cref="StorageStartup"/> first, so a process never serves or ingests before the
    /// catalogue is migrated and the store has proved it can keep evidence immutable.
    /// </summary>
    public static IServiceCollection AddEvidenceStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<CatalogueOptions>().BindConfiguration(CatalogueOptions.Section);
        services.AddOptions<EvidenceStoreOptions>().BindConfiguration(EvidenceStoreOptions.Section);
        services.AddOptions<FileSystemStoreOptions>().BindConfiguration(FileSystemStoreOptions.Section);
        services.AddOptions<S3StoreOptions>().BindConfiguration(S3StoreOptions.Section)
            .Validate(o => o.RequestTimeout > TimeSpan.Zero, $"{S3StoreOptions.Section}:RequestTimeout must be positive.");
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section);
        services.AddOptions<CasesOptions>().BindConfiguration(CasesOptions.Section);
        services.AddOptions<AuditOptions>().BindConfiguration(AuditOptions.Section);

        services.AddSingleton(provider => CatalogueDataSource.Create(
            configuration.GetConnectionString(CatalogueOptions.ConnectionStringName),
            provider.GetRequiredService<IOptions<CatalogueOptions>>().Value,
            provider.GetRequiredService<ILoggerFactory>()));
        services.AddKeyedSingleton(CatalogueOptions.OwnerConnectionStringName, (provider, _) => CatalogueDataSource.Create(
            configuration.GetConnectionString(CatalogueOptions.OwnerConnectionStringName),
            provider.GetRequiredService<IOptions<CatalogueOptions>>().Value,
            provider.GetRequiredService<ILoggerFactory>(),
            CatalogueOptions.OwnerConnectionStringKey));
        services.AddMetrics();
        services.AddSingleton<StoreMetrics>();
        services.AddSingleton<ArchiveMetrics>();
        services.AddSingleton<IEvidenceStore>(provider => provider.GetRequiredService<IOptions<EvidenceStoreOptions>>().Value.Kind switch
        {
            EvidenceStoreKind.S3 => new MeasuredEvidenceStore(ActivatorUtilities.CreateInstance<S3EvidenceStore>(provider), "s3", provider.GetRequiredService<StoreMetrics>()),
            _ => new MeasuredEvidenceStore(ActivatorUtilities.CreateInstance<FileSystemEvidenceStore>(provider), "filesystem", provider.GetRequiredService<StoreMetrics>()),
        });

        services.AddSingleton(provider => CreateMigrator(provider, configuration));
        services.AddSingleton<RetentionPolicy>();
        services.AddSingleton<PendingWriteStore>();
        services.AddSingleton<RecordingArchive>();
        services.AddSingleton<RecordingListing>();
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
        services.AddSingleton<RedactionStore>();
        services.AddSingleton<DerivationStore>();
        services.AddSingleton<SuggestionStore>();
        services.AddSingleton<PublicationStore>();
        services.AddSingleton<AuditTrail>();
        services.AddSingleton<AuditSealer>();
        services.AddSingleton(provider => AuditKeyring.Load(provider.GetRequiredService<IOptions<AuditOptions>>().Value));
        services.AddSingleton<AuditCheckpointer>();
        services.AddSingleton<AuditCheckpointService>();
        services.AddSingleton<AuditTrailVerifier>();
        services.AddSingleton<AuditVerificationStore>();
        services.AddSingleton<AlertStore>();

        // Hosted services start in registration order: storage checks come before anything else.
        services.AddSingleton<StorageStartup>();
        services.AddHostedService(provider => provider.GetRequiredService<StorageStartup>());
        services.AddHostedService(provider => provider.GetRequiredService<AuditSealer>());
        services.AddHostedService(provider => provider.GetRequiredService<AuditCheckpointService>());
        return services;
    }

    /// <summary>
    /// Migrations run as the owner role when <c>ConnectionStrings:CatalogueOwner</c> is set (the
    /// application role then gets only the grants it needs), else as the application role itself.
    /// </summary>
    private static CatalogueMigrator CreateMigrator(IServiceProvider provider, IConfiguration configuration)
    {
        var options = provider.GetRequiredService<IOptions<CatalogueOptions>>();
        var logger = provider.GetRequiredService<ILogger<CatalogueMigrator>>();
        var time = provider.GetRequiredService<TimeProvider>();
        var ownerConnection = configuration.GetConnectionString(CatalogueOptions.OwnerConnectionStringName);
        if (string.IsNullOrWhiteSpace(ownerConnection))
        {
            return new CatalogueMigrator(provider.GetRequiredService<NpgsqlDataSource>(), options, logger, applicationRole: null, time);
        }

        var applicationRole = CatalogueDataSource.ApplicationRoleOf(configuration.GetConnectionString(CatalogueOptions.ConnectionStringName), options.Value);
        var owner = provider.GetRequiredKeyedService<NpgsqlDataSource>(CatalogueOptions.OwnerConnectionStringName);
        return new CatalogueMigrator(owner, options, logger, applicationRole, time);
    }
}
