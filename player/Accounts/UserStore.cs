using Dapper;
using Enforcement.Media.Storage.Catalogue;
using Npgsql;

namespace Enforcement.Media.Player.Accounts;

/// <summary>SQL for users, their API tokens, units and case assignments.</summary>
public sealed class UserStore(NpgsqlDataSource dataSource)
{
    private const string UserColumns = "id, username, display_name, unit_code, roles, security_stamp, disabled_at, password_must_change";

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

    /// <summary>
    /// The user of a live browser session (not ended, not expired, and the user's own), with when the
    /// session was last seen; null when the session is not live. One query: it runs on every request.
    /// </summary>
    public async Task<(UserAccount User, DateTimeOffset LastSeenAt)?> FindBySessionAsync(Guid sessionId, Guid userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT u.id, u.username, u.display_name, u.unit_code, u.roles, u.security_stamp, u.disabled_at, u.password_must_change,
                   s.last_seen_at AS session_last_seen_at
            FROM user_sessions s JOIN users u ON u.id = s.user_id
            WHERE s.id = @sessionId AND s.user_id = @userId AND s.ended_at IS NULL AND s.expires_at > @now
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(sql, new { sessionId, userId, now = now.UtcDateTime }, cancellationToken: cancellationToken));
        return row is null ? null : (row.ToAccount(), Utc.From(row.SessionLastSeenAt!.Value));
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
            INSERT INTO users (id, username, display_name, unit_code, roles, password_hash, security_stamp, created_at, created_by, password_must_change)
            VALUES (@Id, @Username, @DisplayName, @UnitCode, @Roles, @passwordHash, @SecurityStamp, @now, @createdBy, @PasswordMustChange)
            """;
        await connection.ExecuteAsync(new CommandDefinition(
            sql,
            new { user.Id, user.Username, user.DisplayName, user.UnitCode, Roles = user.Roles.ToArray(), passwordHash, user.SecurityStamp, now = now.UtcDateTime, createdBy, user.PasswordMustChange },
            transaction,
            cancellationToken: cancellationToken));
    }

    public async Task RecordLoginAsync(Guid id, string? upgradedHash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE users SET last_login_at = @now, password_hash = coalesce(@upgradedHash, password_hash)
            WHERE id = @id
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, new { id, upgradedHash, now = now.UtcDateTime }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Changes roles, password or status; always issues a new security stamp so older sessions end.
    /// A new password is marked as one its owner must replace when <paramref name="passwordMustChange"/>
    /// (an admin set it), and as the owner's own otherwise.
    /// </summary>
    public static async Task<bool> UpdateAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        Guid id,
        IReadOnlyList<string>? roles,
        string? passwordHash,
        bool passwordMustChange,
        bool? disabled,
        string? unitCode,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE users
            SET roles = coalesce(@roles, roles),
                password_hash = coalesce(@passwordHash, password_hash),
                disabled_at = CASE WHEN @disabled IS NULL THEN disabled_at WHEN @disabled THEN coalesce(disabled_at, @now) ELSE NULL END,
                unit_code = CASE WHEN @setUnit THEN @unitCode ELSE unit_code END,
                password_must_change = CASE WHEN @passwordHash IS NULL THEN password_must_change ELSE @passwordMustChange END,
                security_stamp = @stamp
            WHERE id = @id
            """;
        return await connection.ExecuteAsync(new CommandDefinition(
            sql,
            new { id, roles = roles?.ToArray(), passwordHash, passwordMustChange, disabled, setUnit = unitCode is not null, unitCode = unitCode is "" ? null : unitCode, stamp = Guid.NewGuid(), now = now.UtcDateTime },
            transaction,
            cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>The password hash of a user, for checking the current password before it is changed.</summary>
    public static async Task<string?> PasswordHashAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT password_hash FROM users WHERE id = @id FOR UPDATE", new { id }, transaction, cancellationToken: cancellationToken));

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

    /// <summary>Revokes one live token of <paramref name="userId"/>; false when that user has no such live token.</summary>
    public static async Task<bool> RevokeTokenAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid userId, Guid tokenId, DateTimeOffset now, CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE user_tokens SET revoked_at = @now WHERE id = @tokenId AND user_id = @userId AND revoked_at IS NULL",
            new { userId, tokenId, now = now.UtcDateTime },
            transaction,
            cancellationToken: cancellationToken)) == 1;

    /// <summary>Revokes every live token of a user; returns their ids.</summary>
    public static async Task<IReadOnlyList<Guid>> RevokeAllTokensAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid userId, DateTimeOffset now, CancellationToken cancellationToken) =>
        [.. await connection.QueryAsync<Guid>(new CommandDefinition(
            "UPDATE user_tokens SET revoked_at = @now WHERE user_id = @userId AND revoked_at IS NULL RETURNING id",
            new { userId, now = now.UtcDateTime },
            transaction,
            cancellationToken: cancellationToken))];

    // Property-mapped because Dapper binds PostgreSQL arrays only through setters.
    private sealed class UserRow
    {
        public Guid Id { get; set; }

        public string Username { get; set; } = string.Empty;

        public string DisplayName { get; set; } = string.Empty;

        public string? UnitCode { get; set; }

        public string[] Roles { get; set; } = [];

        public Guid SecurityStamp { get; set; }

        public DateTime? DisabledAt { get; set; }

        public bool PasswordMustChange { get; set; }

        public string? PasswordHash { get; set; }

        public DateTime? SessionLastSeenAt { get; set; }

        public UserAccount ToAccount() => new(Id, Username, DisplayName, UnitCode, Roles, SecurityStamp, Utc.From(DisabledAt), PasswordMustChange);
    }
}
