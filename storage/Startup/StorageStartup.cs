using Enforcement.Media.Storage.Catalogue;
using Enforcement.Media.Storage.Objects;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Storage.Startup;

/// <summary>
/// Runs before the process does any work: brings the catalogue schema up to date (when configured)
/// and makes the evidence store prove it can keep evidence immutable. Any failure stops start-up.
/// </summary>
public sealed partial class StorageStartup(CatalogueMigrator migrator, IEvidenceStore store, IOptions<CatalogueOptions> options, ILogger<StorageStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.MigrateOnStart)
        {
            await migrator.MigrateAsync(cancellationToken);
        }

        await store.EnsureReadyAsync(cancellationToken);
        LogReady(store.Name);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Evidence store {Store} is ready and enforces write-once retention")]
    private partial void LogReady(string store);
}
