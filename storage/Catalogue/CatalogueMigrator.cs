using System.Text.RegularExpressions;
using Dapper;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Startup;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Enforcement.Media.Storage.Catalogue;

/// <summary>
/// Applies the numbered migrations, each once and each in its own transaction (PostgreSQL DDL is
/// transactional, so a migration that fails halfway leaves nothing behind, and its audit event is
/// committed with it), under an advisory lock so that several processes starting together do not race.
/// </summary>
/// <remarks>
/// Two ways to run. With <paramref name="applicationRole"/> given, <paramref name="dataSource"/>
/// is the <b>owner</b> role's: it owns every table, and after migrating it (re)grants the application
/// role what it needs — on the audit tables only SELECT and INSERT — and proves the result. Without it,
/// one role owns and uses the tables, and the audit trail is protected only by its trigger, which an
/// owner can disable: that is logged as a warning every time.
/// </remarks>
public sealed partial class CatalogueMigrator(
    NpgsqlDataSource dataSource,
    IOptions<CatalogueOptions> options,
    ILogger<CatalogueMigrator> logger,
    string? applicationRole = null,
    TimeProvider? time = null)
{
    private const string RunAsOwner = "Run the migrations as the owner role: set " + CatalogueOptions.OwnerConnectionStringKey + " (e.g. for 'ingest migrate').";

    private readonly AuditTrail _audit = new(dataSource, time ?? TimeProvider.System);

    private string Setting => applicationRole is null ? CatalogueOptions.ConnectionStringKey : CatalogueOptions.OwnerConnectionStringKey;

    /// <summary>Applies the migrations shipped with this build; returns the versions applied now.</summary>
    public Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken) => MigrateAsync(Migration.Embedded, cancellationToken);

    internal async Task<IReadOnlyList<int>> MigrateAsync(IReadOnlyList<Migration> migrations, CancellationToken cancellationToken)
    {
        var schema = options.Value.Schema;
        if (!SchemaName().IsMatch(schema))
        {
            throw new StartupCheckException($"{CatalogueOptions.Section}:Schema", $"'{schema}' is not a plain lowercase schema name.");
        }

        await using var connection = await dataSource.OpenCheckedAsync(Setting, cancellationToken);
        var lockKey = $"enforcement-media/migrations/{schema}";
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(hashtextextended(@lockKey, 0))", new { lockKey }, cancellationToken: cancellationToken));
        try
        {
            await EnsureHistoryAsync(connection, schema, cancellationToken);

            const string readHistory = "SELECT version, name, sha256 FROM schema_migrations ORDER BY version";
            var applied = (await connection.QueryAsync<AppliedMigration>(new CommandDefinition(readHistory, cancellationToken: cancellationToken)))
                .ToDictionary(m => m.Version);
            CheckHistory(applied, migrations);

            var appliedNow = new List<int>();
            foreach (var migration in migrations.Where(m => !applied.ContainsKey(m.Version)))
            {
                await ApplyAsync(connection, migration, cancellationToken);
                appliedNow.Add(migration.Version);
            }

            await ProtectAuditTrailAsync(connection, schema, cancellationToken);
            LogUpToDate(schema, migrations.Count, appliedNow.Count);
            return appliedNow;
        }
        finally
        {
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_unlock(hashtextextended(@lockKey, 0))", new { lockKey }, cancellationToken: CancellationToken.None));
        }
    }

    /// <summary>
    /// Creates the schema and the history table only when missing: PostgreSQL checks the privilege to
    /// create even for <c>IF NOT EXISTS</c>, and an up-to-date catalogue must be checkable by the
    /// application role, which may create nothing.
    /// </summary>
    private static async Task EnsureHistoryAsync(NpgsqlConnection connection, string schema, CancellationToken cancellationToken)
    {
        const string probe = "SELECT EXISTS (SELECT FROM pg_namespace WHERE nspname = @schema) AS schema_exists, to_regclass(@history) IS NOT NULL AS history_exists";
        var found = await connection.QuerySingleAsync<(bool SchemaExists, bool HistoryExists)>(
            new CommandDefinition(probe, new { schema, history = $"{schema}.schema_migrations" }, cancellationToken: cancellationToken));
        try
        {
            if (!found.SchemaExists)
            {
                await connection.ExecuteAsync(new CommandDefinition($"CREATE SCHEMA IF NOT EXISTS {schema}", cancellationToken: cancellationToken));
            }

            if (!found.HistoryExists)
            {
                const string createHistory = """
                    CREATE TABLE IF NOT EXISTS schema_migrations (
                        version     integer PRIMARY KEY,
                        name        text NOT NULL,
                        sha256      text NOT NULL,
                        applied_at  timestamptz NOT NULL DEFAULT now()
                    )
                    """;
                await connection.ExecuteAsync(new CommandDefinition(createHistory, cancellationToken: cancellationToken));
            }
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            throw new CatalogueMigrationException($"The catalogue schema '{schema}' is not set up and this role may not create it ({ex.MessageText}). {RunAsOwner}", ex);
        }
    }

    private static void CheckHistory(Dictionary<int, AppliedMigration> applied, IReadOnlyList<Migration> migrations)
    {
        foreach (var done in applied.Values)
        {
            var shipped = migrations.FirstOrDefault(m => m.Version == done.Version)
                ?? throw new CatalogueMigrationException($"The catalogue has migration {done.Version:D4} ({done.Name}) which this build does not know: it is older than the database. Deploy the newer build.");
            if (shipped.Checksum.Hex != done.Sha256)
            {
                throw new CatalogueMigrationException($"Migration {done.Version:D4} ({done.Name}) was changed after it was applied. Never edit an applied migration; add a new one.");
            }
        }
    }

    private async Task ApplyAsync(NpgsqlConnection connection, Migration migration, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await using (var command = new NpgsqlCommand(migration.Sql, connection, transaction))
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            const string record = "INSERT INTO schema_migrations (version, name, sha256) VALUES (@Version, @Name, @Sha256)";
            await connection.ExecuteAsync(new CommandDefinition(record, new { migration.Version, migration.Name, Sha256 = migration.Checksum.Hex }, transaction, cancellationToken: cancellationToken));

            // A schema change is a configuration change of the system of record: it goes into the
            // audit trail with the migration (migration 1 creates the outbox itself).
            var actor = $"system:migrator/{await AuditTableProtection.CurrentRoleAsync(connection, cancellationToken)}";
            await _audit.AppendAsync(
                connection,
                transaction,
                new AuditEntry(actor, "catalogue.migration-applied", "catalogue", options.Value.Schema, new { version = migration.Version, name = migration.Name, sha256 = migration.Checksum.Hex }),
                cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (PostgresException ex)
        {
            await transaction.RollbackAsync(CancellationToken.None);
            throw new CatalogueMigrationException(
                $"Migration {migration.Version:D4} ({migration.Name}) failed and was rolled back, nothing of it applied: {ex.SqlState} {ex.MessageText}{(ex.Position > 0 ? $" at character {ex.Position}" : string.Empty)}"
                + (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege ? $". {RunAsOwner}" : string.Empty),
                ex);
        }

        LogApplied(migration.Version, migration.Name);
    }

    private async Task ProtectAuditTrailAsync(NpgsqlConnection connection, string schema, CancellationToken cancellationToken)
    {
        var owner = await AuditTableProtection.CurrentRoleAsync(connection, cancellationToken);
        if (applicationRole is null || string.Equals(applicationRole, owner, StringComparison.Ordinal))
        {
            // Without a separate owner: warn when this role could change audit rows. A properly
            // restricted application role that found nothing to migrate has nothing to warn about.
            if ((await AuditTableProtection.WeaknessesAsync(connection, owner, cancellationToken)).Count > 0)
            {
                LogSingleRole(owner, CatalogueOptions.OwnerConnectionStringKey);
            }

            return;
        }

        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "SELECT apply_application_grants(@schema, @applicationRole)", new { schema, applicationRole }, cancellationToken: cancellationToken));
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedObject)
        {
            throw new StartupCheckException($"{CatalogueOptions.Section}:ApplicationRole", $"The application role '{applicationRole}' does not exist in PostgreSQL ({ex.MessageText}).", ex);
        }

        // Read the result back rather than trust it: a superuser application role, or one that is a
        // member of the owner, would make the grants meaningless.
        var weaknesses = await AuditTableProtection.WeaknessesAsync(connection, applicationRole, cancellationToken);
        if (weaknesses.Count > 0)
        {
            throw new StartupCheckException(
                $"{CatalogueOptions.Section}:ApplicationRole",
                $"The application role '{applicationRole}' could still change audit rows: it {string.Join("; it ", weaknesses)}. Connect the apps as a plain role that is neither a superuser nor a member of the owner '{owner}'.");
        }

        LogGranted(applicationRole, schema, owner);
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaName();

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied catalogue migration {Version} {MigrationName}")]
    private partial void LogApplied(int version, string migrationName);

    [LoggerMessage(Level = LogLevel.Information, Message = "Catalogue schema {Schema} is at migration {Latest} ({AppliedNow} applied now)")]
    private partial void LogUpToDate(string schema, int latest, int appliedNow);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The catalogue runs with one role ({Role}) that owns the tables and writes the data: the audit trail is then protected only by its trigger, which that role can disable. Set {OwnerSetting} to migrate as a separate owner role, so the application role may only INSERT and SELECT audit rows")]
    private partial void LogSingleRole(string role, string ownerSetting);

    [LoggerMessage(Level = LogLevel.Information, Message = "Application role {ApplicationRole} granted its rights on schema {Schema} (owner {Owner}); on audit tables it may only INSERT and SELECT")]
    private partial void LogGranted(string applicationRole, string schema, string owner);

    private sealed record AppliedMigration(int Version, string Name, string Sha256);
}
