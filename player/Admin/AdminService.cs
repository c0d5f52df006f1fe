using System.Text.RegularExpressions;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Storage.Audit;
using Npgsql;

namespace Enforcement.Media.Player.Admin;

/// <summary>Units and case assignments, each change audited. (Users and tokens: <see cref="AccountService"/>.)</summary>
public sealed partial class AdminService(NpgsqlDataSource dataSource, AuditTrail audit, TimeProvider time)
{
    public async Task CreateUnitAsync(string code, string name, string? parentCode, string actor, CancellationToken cancellationToken)
    {
        if (!UnitCodePattern().IsMatch(code ?? string.Empty))
        {
            throw new AccountException("A unit code is 1–32 letters or digits (e.g. the 12-digit unit code).");
        }

        if (string.IsNullOrWhiteSpace(name) || name.Length > 200)
        {
            throw new AccountException("A unit name is 1–200 characters.");
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            if (!await UnitStore.InsertAsync(connection, transaction, new Unit(code!, name.Trim(), string.IsNullOrWhiteSpace(parentCode) ? null : parentCode.Trim()), time.GetUtcNow(), cancellationToken))
            {
                throw new AccountException($"Unit {code} exists already.");
            }
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            throw new AccountException($"There is no parent unit '{parentCode}'.");
        }

        await audit.AppendAsync(connection, transaction, new AuditEntry(actor, "unit.created", "unit", code!, new { name = name.Trim(), parentCode }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task AssignAsync(string caseNumber, string username, string actor, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(caseNumber) || caseNumber.Length > 100 || string.IsNullOrWhiteSpace(username) || username.Length > 64)
        {
            throw new AccountException("An assignment names a case number (1–100 characters) and a username (1–64 characters).");
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!await UnitStore.AssignAsync(connection, transaction, caseNumber.Trim(), username.Trim(), actor, time.GetUtcNow(), cancellationToken))
        {
            throw new AccountException($"There is no case '{caseNumber}' or no user '{username}'.");
        }

        await audit.AppendAsync(connection, transaction, new AuditEntry(actor, "case.assigned", "case", caseNumber.Trim(), new { username = username.Trim() }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    [GeneratedRegex(@"^[\p{L}\p{N}]{1,32}$")]
    private static partial Regex UnitCodePattern();
}
