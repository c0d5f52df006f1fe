using Enforcement.Media.Storage.Startup;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Enforcement.Media.Storage.Catalogue;

/// <summary>Builds the process's one <see cref="NpgsqlDataSource"/>, pinned to the catalogue schema.</summary>
public static class CatalogueDataSource
{
    public static NpgsqlDataSource Create(string? connectionString, CatalogueOptions options, ILoggerFactory loggerFactory)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new StartupCheckException(CatalogueOptions.ConnectionStringKey, "No PostgreSQL connection string is configured.");
        }

        NpgsqlConnectionStringBuilder settings;
        try
        {
            settings = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new StartupCheckException(CatalogueOptions.ConnectionStringKey, $"The PostgreSQL connection string is malformed: {ex.Message}", ex);
        }

        settings.SearchPath = options.Schema;
        settings.ApplicationName ??= "enforcement-media";
        DapperSetup.EnsureConfigured();
        var builder = new NpgsqlDataSourceBuilder(settings.ConnectionString);
        builder.UseLoggerFactory(loggerFactory);
        return builder.Build();
    }

    /// <summary>Opens a connection, turning "cannot connect" into an error that names the setting.</summary>
    public static async Task<NpgsqlConnection> OpenCheckedAsync(this NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        try
        {
            return await dataSource.OpenConnectionAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification)
        {
            throw new StartupCheckException(CatalogueOptions.ConnectionStringKey, $"PostgreSQL refused the configured user or password ({ex.SqlState}: {ex.MessageText}).", ex);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            throw new StartupCheckException(CatalogueOptions.ConnectionStringKey, $"The configured PostgreSQL database does not exist ({ex.MessageText}).", ex);
        }
        catch (NpgsqlException ex) when (ex is not PostgresException)
        {
            var settings = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
            throw new StartupCheckException(CatalogueOptions.ConnectionStringKey, $"Cannot reach PostgreSQL at {settings.Host}:{settings.Port}: {ex.InnerException?.Message ?? ex.Message}", ex);
        }
    }
}
