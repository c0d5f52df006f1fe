using Dapper;
using Enforcement.Media.Storage.Catalogue;
using Enforcement.Media.Storage.Startup;
using Enforcement.Media.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Enforcement.Media.Tests.Storage;

public sealed class CatalogueMigratorTests : IAsyncLifetime
{
    private readonly string _schema = UniqueName.For("m_");
    private NpgsqlDataSource _dataSource = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    // Migrations need the owner role (the application role may not create schemas or tables).
    public ValueTask InitializeAsync()
    {
        _dataSource = CatalogueDataSource.Create(TestServices.PostgresOwnerConnection, new CatalogueOptions { Schema = _schema }, NullLoggerFactory.Instance);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await using var admin = new NpgsqlConnection(TestServices.PostgresAdminConnection);
        await admin.ExecuteAsync($"DROP SCHEMA IF EXISTS {_schema} CASCADE");
    }

    private CatalogueMigrator Migrator() =>
        new(_dataSource, Options.Create(new CatalogueOptions { Schema = _schema }), NullLogger<CatalogueMigrator>.Instance);

    [Fact]
    public async Task Each_migration_is_applied_once_and_recorded_with_its_checksum()
    {
        var first = await Migrator().MigrateAsync(Token);
        var second = await Migrator().MigrateAsync(Token);

        Assert.Equal(Enumerable.Range(1, Migration.Embedded.Count), first);
        Assert.Empty(second);
        await using var connection = await _dataSource.OpenConnectionAsync(Token);
        var recorded = (await connection.QueryAsync<(int Version, string Sha256)>("SELECT version, sha256 FROM schema_migrations ORDER BY version")).ToList();
        Assert.Equal(Migration.Embedded.Select(m => (m.Version, m.Checksum.Hex)), recorded);
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM pg_tables WHERE schemaname = @_schema AND tablename = 'recordings'", new { _schema }));
    }

    [Fact]
    public async Task Processes_starting_together_apply_each_migration_exactly_once()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => Migrator().MigrateAsync(Token), Token)));

        var applied = results.SelectMany(r => r).ToList();
        Assert.Equal(Enumerable.Range(1, Migration.Embedded.Count), applied.Order());
    }

    [Fact]
    public async Task A_migration_that_fails_halfway_is_rolled_back_whole_and_named()
    {
        var broken = new Migration(Migration.Embedded.Count + 1, "broken", """
            CREATE TABLE half_done (id integer);
            INSERT INTO half_done VALUES (1);
            SELECT no_such_function();
            """);

        var error = await Assert.ThrowsAsync<CatalogueMigrationException>(() => Migrator().MigrateAsync([.. Migration.Embedded, broken], Token));

        Assert.Contains($"{broken.Version:D4} (broken)", error.Message, StringComparison.Ordinal);
        Assert.Contains("rolled back", error.Message, StringComparison.Ordinal);
        await using var connection = await _dataSource.OpenConnectionAsync(Token);
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM pg_tables WHERE schemaname = @_schema AND tablename = 'half_done'", new { _schema }));
        Assert.Equal(Migration.Embedded.Count, await connection.ExecuteScalarAsync<int>("SELECT max(version) FROM schema_migrations"));
    }

    [Fact]
    public async Task An_applied_migration_that_was_edited_afterwards_is_refused()
    {
        await Migrator().MigrateAsync(Token);
        var edited = Migration.Embedded.Select(m => m.Version == 1 ? m with { Sql = m.Sql + "\n-- edited" } : m).ToList();

        var error = await Assert.ThrowsAsync<CatalogueMigrationException>(() => Migrator().MigrateAsync(edited, Token));

        Assert.Contains("changed after it was applied", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tokens_an_admin_issued_for_someone_else_are_revoked_and_the_owners_own_are_kept()
    {
        // Before migration 0016, an admin could issue a token for another user; 0016 revokes each such
        // token still live (the audit trail names who issued it, sealed or still in the outbox).
        var migrator = Migrator();
        await migrator.MigrateAsync([.. Migration.Embedded.Take(15)], Token);
        var (user, byAdmin, byOwner, revokedAlready) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await using (var connection = await _dataSource.OpenConnectionAsync(Token))
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO users (id, username, display_name, roles, password_hash, security_stamp, created_at, created_by)
                VALUES (@user, 'officer', 'Officer', '{reviewer}', 'x', gen_random_uuid(), now(), 'user:admin');
                INSERT INTO user_tokens (id, user_id, name, secret_hash, created_at, expires_at, revoked_at)
                VALUES (@byAdmin, @user, 'made by admin', decode(repeat('00', 32), 'hex'), now(), now() + interval '90 days', NULL),
                       (@byOwner, @user, 'own', decode(repeat('11', 32), 'hex'), now(), now() + interval '90 days', NULL),
                       (@revokedAlready, @user, 'old', decode(repeat('22', 32), 'hex'), now(), now() + interval '90 days', '2026-01-01');
                INSERT INTO audit_outbox (occurred_at, actor, action, subject_type, subject_id, details)
                VALUES (now(), 'user:admin', 'token.issued', 'user', @user::text, '{"expires":"2027-01-01T00:00:00+00:00","name":"made by admin","tokenId":"' || @byAdmin::text || '"}'),
                       (now(), 'user:officer', 'token.issued', 'user', @user::text, '{"expires":"2027-01-01T00:00:00+00:00","name":"own","tokenId":"' || @byOwner::text || '"}'),
                       (now(), 'user:admin', 'token.issued', 'user', @user::text, '{"expires":"2027-01-01T00:00:00+00:00","name":"old","tokenId":"' || @revokedAlready::text || '"}');
                """,
                new { user, byAdmin, byOwner, revokedAlready });
        }

        await migrator.MigrateAsync(Token);

        await using var check = await _dataSource.OpenConnectionAsync(Token);
        var revoked = (await check.QueryAsync<(Guid Id, DateTime? RevokedAt)>("SELECT id, revoked_at FROM user_tokens")).ToDictionary(t => t.Id, t => t.RevokedAt);
        Assert.NotNull(revoked[byAdmin]);
        Assert.Null(revoked[byOwner]);
        Assert.Equal(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), revoked[revokedAlready]);
    }

    [Fact]
    public async Task An_unreachable_server_is_reported_with_the_setting_to_fix()
    {
        await using var unreachable = CatalogueDataSource.Create("Host=127.0.0.1;Port=1;Username=x;Database=y;Timeout=3", new CatalogueOptions(), NullLoggerFactory.Instance);

        var error = await Assert.ThrowsAsync<StartupCheckException>(() => unreachable.OpenCheckedAsync(Token));

        Assert.Equal("ConnectionStrings:Catalogue", error.Setting);
        Assert.Contains("Cannot reach PostgreSQL at 127.0.0.1:1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_user_is_reported_with_the_setting_to_fix()
    {
        var settings = new NpgsqlConnectionStringBuilder(TestServices.PostgresConnection) { Username = "nobody_" + Guid.NewGuid().ToString("N")[..8] };
        await using var wrongUser = CatalogueDataSource.Create(settings.ConnectionString, new CatalogueOptions(), NullLoggerFactory.Instance);

        var error = await Assert.ThrowsAsync<StartupCheckException>(() => wrongUser.OpenCheckedAsync(Token));

        Assert.Equal("ConnectionStrings:Catalogue", error.Setting);
    }

    [Fact]
    public void A_missing_connection_string_is_reported_with_the_setting_to_fix()
    {
        var error = Assert.Throws<StartupCheckException>(() => CatalogueDataSource.Create(null, new CatalogueOptions(), NullLoggerFactory.Instance));

        Assert.Equal("ConnectionStrings:Catalogue", error.Setting);
    }
}
