using Dapper;
using Npgsql;

namespace Enforcement.Media.Storage.Audit;

/// <summary>
/// Asks PostgreSQL what a role could do to the audit rows beyond INSERT and SELECT. Empty means the
/// role cannot change them: it owns no audit table, is no superuser, and holds no UPDATE, DELETE or
/// TRUNCATE on them. Anything else leaves only the trigger between that role and the rows.
/// </summary>
public static class AuditTableProtection
{
    /// <summary>The role this connection acts as (<c>current_user</c>), whatever the connection string said.</summary>
    public static async Task<string> CurrentRoleAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<string>(new CommandDefinition("SELECT current_user", cancellationToken: cancellationToken)) ?? string.Empty;

    public static async Task<IReadOnlyList<string>> WeaknessesAsync(NpgsqlConnection connection, string role, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT w.weakness
            FROM pg_roles r
            CROSS JOIN LATERAL (
                SELECT 'is a superuser, so no privilege applies to it' AS weakness WHERE r.rolsuper
                UNION ALL
                SELECT format('owns %s, or may act as its owner, so it can disable its trigger or alter it', c.relname)
                FROM pg_class c
                WHERE c.relnamespace = current_schema()::regnamespace
                  AND c.relname IN ('audit_events', 'audit_checkpoints')
                  AND pg_has_role(r.oid, c.relowner, 'MEMBER')
                UNION ALL
                SELECT format('holds %s on %s', p.privilege, c.relname)
                FROM pg_class c
                CROSS JOIN unnest(ARRAY['UPDATE', 'DELETE', 'TRUNCATE']) AS p(privilege)
                WHERE c.relnamespace = current_schema()::regnamespace
                  AND c.relname IN ('audit_events', 'audit_checkpoints')
                  AND has_table_privilege(r.oid, c.oid, p.privilege)
            ) w
            WHERE r.rolname = @role
            """;
        return [.. await connection.QueryAsync<string>(new CommandDefinition(sql, new { role }, cancellationToken: cancellationToken))];
    }
}
