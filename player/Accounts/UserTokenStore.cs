using Dapper;
using Enforcement.Media.Storage.Catalogue;
using Npgsql;

namespace Enforcement.Media.Player.Accounts;

/// <summary>SQL for listing a user's API tokens, on their own account page and the admin's user page (issuing and revoking: <see cref="AccountService"/>).</summary>
public sealed class UserTokenStore(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<UserToken>> ListAsync(Guid userId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT id, name, created_at, expires_at, revoked_at, last_used_at
            FROM user_tokens WHERE user_id = @userId
            ORDER BY created_at DESC
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(sql, new { userId }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new UserToken(r.Id, r.Name, Utc.From(r.CreatedAt), Utc.From(r.ExpiresAt), Utc.From(r.RevokedAt), Utc.From(r.LastUsedAt)))];
    }

    private sealed record Row(Guid Id, string Name, DateTime CreatedAt, DateTime ExpiresAt, DateTime? RevokedAt, DateTime? LastUsedAt);
}
