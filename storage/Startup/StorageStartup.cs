using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Catalogue;
using Enforcement.Media.Storage.Objects;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Enforcement.Media.Storage.Startup;

/// <summary>
/// Runs before the process does any work: brings the catalogue schema up to date (when configured)
/// and makes the evidence store prove it can keep evidence immutable. Any failure stops start-up.
/// It also says, loudly, when the role this process connects as could change audit rows.
/// </summary>
public sealed partial class StorageStartup(
    CatalogueMigrator migrator, IEvidenceStore store, NpgsqlDataSource dataSource, IOptions<CatalogueOptions> options, ILogger<StorageStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.MigrateOnStart)
        {
            await migrator.MigrateAsync(cancellationToken);
        }

        await using (var connection = await dataSource.OpenCheckedAsync(cancellationToken))
        {
            var role = await AuditTableProtection.CurrentRoleAsync(connection, cancellationToken);
            var weaknesses = await AuditTableProtection.WeaknessesAsync(connection, role, cancellationToken);
            if (weaknesses.Count > 0)
            {
                LogAuditOnlyTriggerProtected(role, string.Join("; it ", weaknesses), CatalogueOptions.OwnerConnectionStringKey);
            }
        }

        await store.EnsureReadyAsync(cancellationToken);
        LogReady(store.Name);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "This process connects to the catalogue as {Role}, which could change audit rows (it {Weaknesses}): only the append-only trigger and the signed checkpoints protect the audit trail. Run migrations as a separate owner ({OwnerSetting}) and connect the apps as a plain role")]
    private partial void LogAuditOnlyTriggerProtected(string role, string weaknesses, string ownerSetting);

    [LoggerMessage(Level = LogLevel.Information, Message = "Evidence store {Store} is ready and enforces write-once retention")]
    private partial void LogReady(string store);
}
