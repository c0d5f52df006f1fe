using Enforcement.Media.Storage.Catalogue;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Enforcement.Media.Tests.Infrastructure;

/// <summary>
/// A migrated catalogue in a schema of its own on the test PostgreSQL, dropped afterwards. Migrated
/// as the owner role, as in production; <see cref="DataSource"/> connects as the application role,
/// which holds only the grants the migrator gave it (on audit rows only SELECT and INSERT).
/// </summary>
public sealed class CatalogueFixture : IAsyncLifetime
{
    public string Schema { get; } = UniqueName.For("t_");

    /// <summary>The application role, as every app connects.</summary>
    public NpgsqlDataSource DataSource { get; private set; } = null!;

    /// <summary>The owner role, which owns the tables and runs migrations.</summary>
    public NpgsqlDataSource OwnerDataSource { get; private set; } = null!;

    public CatalogueOptions Options => new() { Schema = Schema };

    public string ApplicationRole => CatalogueDataSource.ApplicationRoleOf(TestServices.PostgresConnection, Options);

    public async ValueTask InitializeAsync()
    {
        DataSource = CatalogueDataSource.Create(TestServices.PostgresConnection, Options, NullLoggerFactory.Instance);
        OwnerDataSource = CatalogueDataSource.Create(TestServices.PostgresOwnerConnection, Options, NullLoggerFactory.Instance);
        await new CatalogueMigrator(OwnerDataSource, Microsoft.Extensions.Options.Options.Create(Options), NullLogger<CatalogueMigrator>.Instance, ApplicationRole)
            .MigrateAsync(CancellationToken.None);
    }

    /// <summary>A superuser connection searching this fixture's schema: an attacker with full database access.</summary>
    public async Task<NpgsqlConnection> OpenAdminAsync(CancellationToken cancellationToken)
    {
        var settings = new NpgsqlConnectionStringBuilder(TestServices.PostgresAdminConnection) { SearchPath = Schema };
        var connection = new NpgsqlConnection(settings.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await OwnerDataSource.DisposeAsync();
        await using var admin = new NpgsqlConnection(TestServices.PostgresAdminConnection);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {Schema} CASCADE", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
