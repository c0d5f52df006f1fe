using Dapper;
using Npgsql;

namespace Enforcement.Media.Player.Admin;

/// <summary>SQL for units (执法单位) and case assignments.</summary>
public sealed class UnitStore(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<Unit>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<Unit>(new CommandDefinition("SELECT code, name, parent_code FROM units ORDER BY code", cancellationToken: cancellationToken))];
    }

    public static async Task<bool> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Unit unit, DateTimeOffset now, CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO units (code, name, parent_code, created_at) VALUES (@Code, @Name, @ParentCode, @now) ON CONFLICT (code) DO NOTHING",
            new { unit.Code, unit.Name, unit.ParentCode, now = now.UtcDateTime },
            transaction,
            cancellationToken: cancellationToken)) == 1;

    public async Task<IReadOnlyList<Assignment>> AssignmentsAsync(CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT c.case_number, u.username, a.assigned_by, a.assigned_at
            FROM case_assignments a JOIN cases c ON c.id = a.case_id JOIN users u ON u.id = a.user_id
            ORDER BY c.case_number, u.username
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<Assignment>(new CommandDefinition(sql, cancellationToken: cancellationToken))];
    }

    /// <summary>Assigns a user to a case by number; false when either does not exist.</summary>
    public static async Task<bool> AssignAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string caseNumber, string username, string actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO case_assignments (case_id, user_id, assigned_by, assigned_at)
            SELECT c.id, u.id, @actor, @now FROM cases c, users u
            WHERE c.case_number = @caseNumber AND lower(u.username) = lower(@username)
            ON CONFLICT (case_id, user_id) DO NOTHING
            """;
        var rows = await connection.ExecuteAsync(new CommandDefinition(sql, new { caseNumber, username, actor, now = now.UtcDateTime }, transaction, cancellationToken: cancellationToken));
        if (rows == 1)
        {
            return true;
        }

        const string exists = "SELECT EXISTS (SELECT 1 FROM case_assignments a JOIN cases c ON c.id = a.case_id JOIN users u ON u.id = a.user_id WHERE c.case_number = @caseNumber AND lower(u.username) = lower(@username))";
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(exists, new { caseNumber, username }, transaction, cancellationToken: cancellationToken));
    }
}
