using Dapper;
using Enforcement.Media.Storage.Catalogue;
using Npgsql;

namespace Enforcement.Media.Player.Accounts;

/// <summary>
/// SQL for browser sessions (<c>user_sessions</c>). A session cookie names its row, and is honoured only
/// while that row is live — not ended, not idle past its expiry — so ending the row on the server ends the
/// session for every copy of the cookie.
/// </summary>
public sealed class UserSessionStore(NpgsqlDataSource dataSource)
{
    /// <summary>How stale <c>last_seen_at</c> may get before a request writes it again (a write per request would be a write per streamed range).</summary>
    public static readonly TimeSpan TouchEvery = TimeSpan.FromSeconds(30);

    public const string SignedOut = "signed out";
    public const string SignedOutEverywhere = "signed out everywhere";
    public const string PasswordChanged = "password changed";
    public const string AccountChanged = "account changed";

    public async Task StartAsync(Guid id, Guid userId, DateTimeOffset now, DateTimeOffset expiresAt, string clientAddress, string userAgent, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO user_sessions (id, user_id, created_at, last_seen_at, expires_at, client_address, user_agent)
            VALUES (@id, @userId, @now, @now, @expiresAt, @clientAddress, @userAgent)
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            sql, new { id, userId, now = now.UtcDateTime, expiresAt = expiresAt.UtcDateTime, clientAddress, userAgent }, cancellationToken: cancellationToken));
    }

    /// <summary>Records that a live session was seen, sliding its expiry to <paramref name="expiresAt"/> (never shortening it).</summary>
    public async Task TouchAsync(Guid sessionId, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE user_sessions SET last_seen_at = @now, expires_at = greatest(expires_at, @expiresAt)
            WHERE id = @sessionId AND ended_at IS NULL
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, new { sessionId, now = now.UtcDateTime, expiresAt = expiresAt.UtcDateTime }, cancellationToken: cancellationToken));
    }

    /// <summary>Ends one session of <paramref name="userId"/>; false when it was not theirs or not live.</summary>
    public static async Task<bool> EndAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid sessionId, Guid userId, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE user_sessions SET ended_at = @now, ended_reason = @reason
            WHERE id = @sessionId AND user_id = @userId AND ended_at IS NULL
            """;
        return await connection.ExecuteAsync(new CommandDefinition(
            sql, new { sessionId, userId, reason, now = now.UtcDateTime }, transaction, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>Ends every live session of a user but <paramref name="except"/>; returns how many ended.</summary>
    public static async Task<int> EndAllAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid userId, string reason, DateTimeOffset now, Guid? except, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE user_sessions SET ended_at = @now, ended_reason = @reason
            WHERE user_id = @userId AND ended_at IS NULL AND (@except::uuid IS NULL OR id <> @except)
            """;
        return await connection.ExecuteAsync(new CommandDefinition(sql, new { userId, reason, now = now.UtcDateTime, except }, transaction, cancellationToken: cancellationToken));
    }

    /// <summary>A user's live sessions, newest first.</summary>
    public async Task<IReadOnlyList<UserSession>> LiveAsync(Guid userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT id, created_at, last_seen_at, expires_at, client_address, user_agent
            FROM user_sessions
            WHERE user_id = @userId AND ended_at IS NULL AND expires_at > @now
            ORDER BY created_at DESC
            LIMIT 100
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(sql, new { userId, now = now.UtcDateTime }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new UserSession(r.Id, Utc.From(r.CreatedAt), Utc.From(r.LastSeenAt), Utc.From(r.ExpiresAt), r.ClientAddress, r.UserAgent))];
    }

    private sealed record Row(Guid Id, DateTime CreatedAt, DateTime LastSeenAt, DateTime ExpiresAt, string ClientAddress, string UserAgent);
}
