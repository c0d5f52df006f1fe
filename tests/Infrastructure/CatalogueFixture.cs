using Enforcement.Media.Storage.Catalogue;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Enforcement.Media.Tests.Infrastructure;

/// <summary>A migrated catalogue in a schema of its own on the test PostgreSQL, dropped afterwards.</summary>
public sealed class CatalogueFixture : IAsyncLifetime
{
    public string Schema { get; } = UniqueName.For("t_");

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public CatalogueOptions Options => new() { Schema = Schema };

    public async ValueTask InitializeAsync()
    {
        DataSource = CatalogueDataSource.Create(TestServices.PostgresConnection, Options, NullLoggerFactory.Instance);
        await new CatalogueMigrator(DataSource, Microsoft.Extensions.Options.Options.Create(Options), NullLogger<CatalogueMigrator>.Instance)
            .MigrateAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await using var admin = new NpgsqlConnection(TestServices.PostgresAdminConnection);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {Schema} CASCADE", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
