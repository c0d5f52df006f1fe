using Dapper;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Catalogue;
using Enforcement.Media.Storage.Startup;
using Enforcement.Media.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Enforcement.Media.Tests.Storage.Audit;

/// <summary>
/// The owner/application split on a real PostgreSQL: the application role may only INSERT and SELECT
/// audit rows, and even the owner meets the append-only trigger.
/// </summary>
public sealed class DatabaseRoleTests(CatalogueFixture catalogue) : IClassFixture<CatalogueFixture>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private async Task<long> SealOneEventAsync()
    {
        await new AuditTrail(catalogue.DataSource, TimeProvider.System).AppendAsync(new AuditEntry("user:test", "test.event", "test", "1", new { n = 1 }), Token);
        await new AuditSealer(catalogue.DataSource, NullLogger<AuditSealer>.Instance).SealAllAsync(Token);
        await using var connection = await catalogue.DataSource.OpenConnectionAsync(Token);
        return await connection.ExecuteScalarAsync<long>("SELECT max(seq) FROM audit_events");
    }

    private static async Task<PostgresException> RefusedAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var connection = await dataSource.OpenConnectionAsync(Token);
        return await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync(sql));
    }

    [Fact]
    public async Task The_application_role_appends_and_seals_audit_events_with_insert_and_select_alone()
    {
        var seq = await SealOneEventAsync();

        Assert.True(seq >= 1);
        await using var connection = await catalogue.DataSource.OpenConnectionAsync(Token);
        Assert.Equal("test.event", await connection.ExecuteScalarAsync<string>("SELECT action FROM audit_events WHERE seq = @seq", new { seq }));
    }

    [Theory]
    [InlineData("UPDATE audit_events SET details = '{\"forged\":true}'")]
    [InlineData("DELETE FROM audit_events")]
    [InlineData("TRUNCATE audit_events")]
    [InlineData("UPDATE audit_checkpoints SET key_id = 'forged'")]
    [InlineData("DELETE FROM audit_checkpoints")]
    [InlineData("TRUNCATE audit_checkpoints")]
    [InlineData("UPDATE audit_outbox SET details = '{\"forged\":true}'")]
    public async Task The_application_role_has_no_privilege_to_change_audit_rows(string sql)
    {
        await SealOneEventAsync();

        var refused = await RefusedAsync(catalogue.DataSource, sql);

        // The privilege check refuses it, before the trigger is even reached.
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        Assert.StartsWith("permission denied for table", refused.MessageText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_or_delete")]
    [InlineData("ALTER TABLE audit_events DISABLE TRIGGER ALL")]
    [InlineData("ALTER TABLE audit_events ADD COLUMN note text")]
    [InlineData("ALTER TABLE audit_events OWNER TO enforcement")]
    [InlineData("DROP TRIGGER audit_events_no_update_or_delete ON audit_events")]
    [InlineData("DROP TABLE audit_events")]
    [InlineData("ALTER TABLE audit_checkpoints DISABLE TRIGGER audit_checkpoints_no_update_or_delete")]
    public async Task The_application_role_cannot_disable_the_trigger_or_alter_the_table(string sql)
    {
        var refused = await RefusedAsync(catalogue.DataSource, sql);

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        Assert.StartsWith("must be owner of", refused.MessageText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_application_role_cannot_create_a_table_in_the_catalogue_schema()
    {
        var refused = await RefusedAsync(catalogue.DataSource, "CREATE TABLE audit_events_shadow (seq bigint)");

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
    }

    [Theory]
    [InlineData("UPDATE audit_events SET details = '{\"forged\":true}'", "UPDATE")]
    [InlineData("DELETE FROM audit_events", "DELETE")]
    [InlineData("TRUNCATE audit_events", "TRUNCATE")]
    public async Task The_owner_may_but_the_trigger_refuses_to_change_audit_rows(string sql, string operation)
    {
        await SealOneEventAsync();

        var refused = await RefusedAsync(catalogue.OwnerDataSource, sql);

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        Assert.Equal($"audit_events is append-only: {operation} refused", refused.MessageText);
    }

    [Fact]
    public async Task PostgreSQL_reports_no_way_for_the_application_role_to_change_audit_rows_and_names_the_owners()
    {
        await using var connection = await catalogue.DataSource.OpenConnectionAsync(Token);
        var owner = new NpgsqlConnectionStringBuilder(TestServices.PostgresOwnerConnection).Username!;

        Assert.Empty(await AuditTableProtection.WeaknessesAsync(connection, catalogue.ApplicationRole, Token));
        var ownerCan = await AuditTableProtection.WeaknessesAsync(connection, owner, Token);
        Assert.Contains("owns audit_events, or may act as its owner, so it can disable its trigger or alter it", ownerCan);
        Assert.Contains("holds TRUNCATE on audit_events", ownerCan);
    }

    [Fact]
    public async Task An_up_to_date_catalogue_is_checked_by_the_application_role_with_no_privilege_it_lacks_and_no_warning()
    {
        var logger = new RecordingLogger<CatalogueMigrator>();

        var applied = await new CatalogueMigrator(catalogue.DataSource, Options.Create(catalogue.Options), logger).MigrateAsync(Token);

        Assert.Empty(applied);
        Assert.DoesNotContain(logger.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task A_pending_migration_under_the_application_role_fails_whole_and_names_the_owner_setting()
    {
        var next = new Migration(Migration.Embedded.Count + 1, "more", "CREATE TABLE more_things (id integer)");

        var error = await Assert.ThrowsAsync<CatalogueMigrationException>(() =>
            new CatalogueMigrator(catalogue.DataSource, Options.Create(catalogue.Options), NullLogger<CatalogueMigrator>.Instance).MigrateAsync([.. Migration.Embedded, next], Token));

        Assert.Contains("ConnectionStrings:CatalogueOwner", error.Message, StringComparison.Ordinal);
        await using var connection = await catalogue.DataSource.OpenConnectionAsync(Token);
        Assert.Null(await connection.ExecuteScalarAsync<string>("SELECT to_regclass('more_things')::text"));
    }

    [Fact]
    public async Task Every_applied_migration_is_an_audit_event_committed_with_it()
    {
        await using var connection = await catalogue.DataSource.OpenConnectionAsync(Token);

        var recorded = (await connection.QueryAsync<string>("""
            SELECT details FROM audit_outbox WHERE action = 'catalogue.migration-applied'
            UNION ALL
            SELECT details FROM audit_events WHERE action = 'catalogue.migration-applied'
            """)).ToList();

        Assert.Equal(Migration.Embedded.Count, recorded.Count);
        Assert.All(Migration.Embedded, m => Assert.Contains(recorded, d => d.Contains($"\"sha256\":\"{m.Checksum.Hex}\"", StringComparison.Ordinal)));
    }
}

/// <summary>How the migrator behaves without a separate owner, or with an application role that could not be contained.</summary>
public sealed class RoleConfigurationTests : IAsyncLifetime
{
    private readonly string _schema = UniqueName.For("r_");
    private NpgsqlDataSource _owner = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _owner = CatalogueDataSource.Create(TestServices.PostgresOwnerConnection, new CatalogueOptions { Schema = _schema }, NullLoggerFactory.Instance);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _owner.DisposeAsync();
        await using var admin = new NpgsqlConnection(TestServices.PostgresAdminConnection);
        await admin.ExecuteAsync($"DROP SCHEMA IF EXISTS {_schema} CASCADE");
    }

    private CatalogueMigrator Migrator(ILogger<CatalogueMigrator> logger, string? applicationRole) =>
        new(_owner, Options.Create(new CatalogueOptions { Schema = _schema }), logger, applicationRole);

    [Fact]
    public async Task Migrating_with_one_role_warns_that_only_the_trigger_protects_the_audit_trail()
    {
        var logger = new RecordingLogger<CatalogueMigrator>();

        await Migrator(logger, applicationRole: null).MigrateAsync(Token);

        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning
            && e.Message.Contains("protected only by its trigger", StringComparison.Ordinal)
            && e.Message.Contains("ConnectionStrings:CatalogueOwner", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_superuser_as_the_application_role_is_refused_because_no_grant_binds_it()
    {
        var error = await Assert.ThrowsAsync<StartupCheckException>(() => Migrator(NullLogger<CatalogueMigrator>.Instance, "postgres").MigrateAsync(Token));

        Assert.Equal("Catalogue:ApplicationRole", error.Setting);
        Assert.Contains("is a superuser", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_application_role_that_may_act_as_the_owner_is_refused()
    {
        var member = "em_member_" + Guid.NewGuid().ToString("N")[..8];
        var owner = new NpgsqlConnectionStringBuilder(TestServices.PostgresOwnerConnection).Username;
        await using var admin = new NpgsqlConnection(TestServices.PostgresAdminConnection);
        await admin.ExecuteAsync($"CREATE ROLE {member} LOGIN IN ROLE {owner}");
        try
        {
            var error = await Assert.ThrowsAsync<StartupCheckException>(() => Migrator(NullLogger<CatalogueMigrator>.Instance, member).MigrateAsync(Token));

            Assert.Contains("may act as its owner", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            await admin.ExecuteAsync($"DROP OWNED BY {member}; DROP ROLE {member}");
        }
    }

    [Fact]
    public async Task The_application_role_alone_cannot_set_up_a_new_catalogue_and_is_told_to_use_the_owner()
    {
        await using var application = CatalogueDataSource.Create(TestServices.PostgresConnection, new CatalogueOptions { Schema = _schema }, NullLoggerFactory.Instance);

        var error = await Assert.ThrowsAsync<CatalogueMigrationException>(() =>
            new CatalogueMigrator(application, Options.Create(new CatalogueOptions { Schema = _schema }), NullLogger<CatalogueMigrator>.Instance).MigrateAsync(Token));

        Assert.Contains("ConnectionStrings:CatalogueOwner", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_application_role_that_does_not_exist_is_reported_with_the_setting_to_fix()
    {
        var error = await Assert.ThrowsAsync<StartupCheckException>(() => Migrator(NullLogger<CatalogueMigrator>.Instance, "no_such_role_" + Guid.NewGuid().ToString("N")[..8]).MigrateAsync(Token));

        Assert.Equal("Catalogue:ApplicationRole", error.Setting);
    }
}
