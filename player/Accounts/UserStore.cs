using Dapper;
using Enforcement.Media.Storage.Catalogue;
using Npgsql;

namespace Enforcement.Media.Player.Accounts;

/// <summary>SQL for users, their API tokens, units and case assignments.</summary>
public sealed class UserStore(NpgsqlDataSource dataSource)
{
    private const string UserColumns = "id, username, display_name, unit_code, roles, security_stamp, locked_until, disabled_at";

    public async Task<int> CountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT count(*) FROM users", cancellationToken: cancellationToken));
    }

    public async Task<(UserAccount User, string PasswordHash)?> FindForLoginAsync(string username, CancellationToken cancellationToken)
    {
        const string sql = $"SELECT {UserColumns}, password_hash FROM users WHERE lower(username) = lower(@username)";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(sql, new { username }, cancellationToken: cancellationToken));
        return row is null ? null : (row.ToAccount(), row.PasswordHash!);
    }

    public async Task<UserAccount?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        const string sql = $"SELECT {UserColumns} FROM users WHERE id = @id";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(sql, new { id }, cancellationToken: cancellationToken)))?.ToAccount();
    }

    public async Task<IReadOnlyList<UserAccount>> ListAsync(CancellationToken cancellationToken)
    {
        const string sql = $"SELECT {UserColumns} FROM users ORDER BY lower(username)";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. (await connection.QueryAsync<UserRow>(new CommandDefinition(sql, cancellationToken: cancellationToken))).Select(r => r.ToAccount())];
    }

    public static async Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, UserAccount user, string passwordHash, string createdBy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO users (id, username, display_name, unit_code, roles, password_hash, security_stamp, created_at, created_by)
            VALUES (@Id, @Username, @DisplayName, @UnitCode, @Roles, @passwordHash, @SecurityStamp, @now, @createdBy)
            """;
        await connection.ExecuteAsync(new CommandDefinition(
            sql,
            new { user.Id, user.Username, user.DisplayName, user.UnitCode, Roles = user.Roles.ToArray(), passwordHash, user.SecurityStamp, now = now.UtcDateTime, createdBy },
            transaction,
            cancellationToken: cancellationToken));
    }

    /// <summary>Counts a failed login; locks the account when the count reaches the limit. Returns the lock end, if locked.</summary>
    public async Task<DateTimeOffset?> RecordFailedLoginAsync(Guid id, int maxFailures, TimeSpan lockout, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE users
            SET failed_logins = failed_logins + 1,
                locked_until = CASE WHEN failed_logins + 1 >= @maxFailures THEN @lockedUntil ELSE locked_until END
            WHERE id = @id
            RETURNING locked_until
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var until = await connection.ExecuteScalarAsync<DateTime?>(new CommandDefinition(
            sql, new { id, maxFailures, lockedUntil = (now + lockout).UtcDateTime }, cancellationToken: cancellationToken));
        return until is { } u && Utc.From(u) > now ? Utc.From(u) : null;
    }

    public async Task RecordLoginAsync(Guid id, string? upgradedHash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = @now,
                             password_hash = coalesce(@upgradedHash, password_hash)
            WHERE id = @id
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, new { id, upgradedHash, now = now.UtcDateTime }, cancellationToken: cancellationToken));
    }

    /// <summary>Changes roles, password or status; always issues a new security stamp so older sessions end.</summary>
    public static async Task<bool> UpdateAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, IReadOnlyList<string>? roles, string? passwordHash, bool? disabled, string? unitCode, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE users
            SET roles = coalesce(@roles, roles),
                password_hash = coalesce(@passwordHash, password_hash),
                disabled_at = CASE WHEN @disabled IS NULL THEN disabled_at WHEN @disabled THEN coalesce(disabled_at, @now) ELSE NULL END,
                unit_code = CASE WHEN @setUnit THEN @unitCode ELSE unit_code END,
                failed_logins = CASE WHEN @passwordHash IS NULL THEN failed_logins ELSE 0 END,
                locked_until = CASE WHEN @passwordHash IS NULL THEN locked_until ELSE NULL END,
                security_stamp = @stamp
            WHERE id = @id
            """;
        return await connection.ExecuteAsync(new CommandDefinition(
            sql,
            new { id, roles = roles?.ToArray(), passwordHash, disabled, setUnit = unitCode is not null, unitCode = unitCode is "" ? null : unitCode, stamp = Guid.NewGuid(), now = now.UtcDateTime },
            transaction,
            cancellationToken: cancellationToken)) == 1;
    }

    public static async Task InsertTokenAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, Guid userId, string name, byte[] secretHash, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO user_tokens (id, user_id, name, secret_hash, created_at, expires_at)
            VALUES (@id, @userId, @name, @secretHash, @now, @expiresAt)
            """;
        await connection.ExecuteAsync(new CommandDefinition(
            sql, new { id, userId, name, secretHash, now = now.UtcDateTime, expiresAt = expiresAt.UtcDateTime }, transaction, cancellationToken: cancellationToken));
    }

    /// <summary>The token's owner when the token is live (not revoked, not expired), touching its last use.</summary>
    public async Task<(Guid UserId, byte[] SecretHash)?> FindLiveTokenAsync(Guid tokenId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE user_tokens SET last_used_at = @now
            WHERE id = @tokenId AND revoked_at IS NULL AND expires_at > @now
            RETURNING user_id, secret_hash
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<(Guid, byte[])?>(new CommandDefinition(sql, new { tokenId, now = now.UtcDateTime }, cancellationToken: cancellationToken));
    }

    public static async Task<bool> RevokeTokenAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid tokenId, DateTimeOffset now, CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE user_tokens SET revoked_at = @now WHERE id = @tokenId AND revoked_at IS NULL", new { tokenId, now = now.UtcDateTime }, transaction, cancellationToken: cancellationToken)) == 1;

    // Property-mapped because Dapper binds PostgreSQL arrays only through setters.
    private sealed class UserRow
    {
        public Guid Id { get; set; }

        public string Username { get; set; } = string.Empty;

        public string DisplayName { get; set; } = string.Empty;

        public string? UnitCode { get; set; }

        public string[] Roles { get; set; } = [];

        public Guid SecurityStamp { get; set; }

        public DateTime? LockedUntil { get; set; }

        public DateTime? DisabledAt { get; set; }

        public string? PasswordHash { get; set; }

        public UserAccount ToAccount() => new(Id, Username, DisplayName, UnitCode, Roles, SecurityStamp, Utc.From(LockedUntil), Utc.From(DisabledAt));
    }
}
