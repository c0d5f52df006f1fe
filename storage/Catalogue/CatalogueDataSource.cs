using Enforcement.Media.Storage.Startup;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Enforcement.Media.Storage.Catalogue;

/// <summary>Builds the process's one <see cref="NpgsqlDataSource"/>, pinned to the catalogue schema.</summary>
public static class CatalogueDataSource
{
    public static NpgsqlDataSource Create(string? connectionString, CatalogueOptions options, ILoggerFactory loggerFactory, string setting = CatalogueOptions.ConnectionStringKey)
    {
        var settings = Parse(connectionString, setting);
        settings.SearchPath = options.Schema;
        settings.ApplicationName ??= "enforcement-media";
        DapperSetup.EnsureConfigured();
        var builder = new NpgsqlDataSourceBuilder(settings.ConnectionString);
        builder.UseLoggerFactory(loggerFactory);

        // The pool's name in Npgsql's metrics and traces: a fixed word, not the connection string.
        builder.Name = setting == CatalogueOptions.ConnectionStringKey ? "catalogue" : "catalogue-owner";
        return builder.Build();
    }

    /// <summary>
    /// The role the apps connect as: <see cref="CatalogueOptions.ApplicationRole"/>, or else the user
    /// named in the application's connection string.
    /// </summary>
    public static string ApplicationRoleOf(string? connectionString, CatalogueOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.ApplicationRole))
        {
            return options.ApplicationRole;
        }

        return Parse(connectionString, CatalogueOptions.ConnectionStringKey).Username is { Length: > 0 } user
            ? user
            : throw new StartupCheckException(
                $"{CatalogueOptions.Section}:ApplicationRole",
                $"{CatalogueOptions.OwnerConnectionStringKey} is set, so the migrator grants the application role its rights, but neither this setting nor the user of {CatalogueOptions.ConnectionStringKey} names that role.");
    }

    /// <summary>Opens a connection, turning "cannot connect" into an error that names the setting.</summary>
    public static Task<NpgsqlConnection> OpenCheckedAsync(this NpgsqlDataSource dataSource, CancellationToken cancellationToken) =>
        dataSource.OpenCheckedAsync(CatalogueOptions.ConnectionStringKey, cancellationToken);

    /// <inheritdoc cref="OpenCheckedAsync(NpgsqlDataSource, CancellationToken)"/>
    public static async Task<NpgsqlConnection> OpenCheckedAsync(this NpgsqlDataSource dataSource, string setting, CancellationToken cancellationToken)
    {
        try
        {
            return await dataSource.OpenConnectionAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification)
        {
            throw new StartupCheckException(setting, $"PostgreSQL refused the configured user or password ({ex.SqlState}: {ex.MessageText}).", ex);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            throw new StartupCheckException(setting, $"The configured PostgreSQL database does not exist ({ex.MessageText}).", ex);
        }
        catch (NpgsqlException ex) when (ex is not PostgresException)
        {
            var settings = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
            throw new StartupCheckException(setting, $"Cannot reach PostgreSQL at {settings.Host}:{settings.Port}: {ex.InnerException?.Message ?? ex.Message}", ex);
        }
    }

    private static NpgsqlConnectionStringBuilder Parse(string? connectionString, string setting)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new StartupCheckException(setting, "No PostgreSQL connection string is configured.");
        }

        try
        {
            return new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new StartupCheckException(setting, $"The PostgreSQL connection string is malformed: {ex.Message}", ex);
        }
    }
}
