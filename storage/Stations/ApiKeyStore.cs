using System.Text.RegularExpressions;
using Dapper;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Credentials;
using Npgsql;

namespace Enforcement.Media.Storage.Stations;

/// <summary>
/// SQL for <c>api_keys</c>: create (the token is returned once, only its hash is kept), list, revoke
/// (effective on the next request: nothing caches a key), and authenticate a presented token.
/// Creation and revocation are audited in the same transaction as the change.
/// </summary>
public sealed partial class ApiKeyStore(NpgsqlDataSource dataSource, AuditTrail audit, TimeProvider time)
{
    /// <summary>last_used_at is refreshed at most this often, so a stream of PATCHes is not a stream of writes.</summary>
    private static readonly TimeSpan UsageResolution = TimeSpan.FromMinutes(1);

    public async Task<IssuedApiKey> CreateAsync(string name, ApiKeyKind kind, string? stationId, string actor, CancellationToken cancellationToken)
    {
        name = name.Trim();
        if (!KeyName().IsMatch(name))
        {
            throw new ApiKeyException($"'{name}' is not a usable key name: 1–100 letters, digits, '.', '_', ':' or '-', starting with a letter or digit.");
        }

        stationId = string.IsNullOrWhiteSpace(stationId) ? null : stationId.Trim();
        var now = time.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        var (token, secretSha256) = SecretToken.StationKey.Issue(id);

        const string sql = """
            INSERT INTO api_keys (id, name, kind, station_id, secret_sha256, created_at, created_by)
            VALUES (@id, @name, @kind, @stationId, @secretSha256, @createdAt, @actor)
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                sql,
                new { id, name, kind = KindName(kind), stationId, secretSha256, createdAt = now.UtcDateTime, actor },
                transaction,
                cancellationToken: cancellationToken));
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new ApiKeyException($"A key named '{name}' already exists (names are never reused, revoked keys included, so the audit trail stays unambiguous).");
        }

        await audit.AppendAsync(connection, transaction, new AuditEntry(actor, "api-key.created", "api-key", id.ToString(), new { name, kind = KindName(kind), station = stationId }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new IssuedApiKey(new ApiKey(id, name, kind, stationId, now, actor, null, null, null), token);
    }

    public async Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT id, name, kind, station_id, created_at, created_by, revoked_at, revoked_by, last_used_at
            FROM api_keys ORDER BY created_at, name
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<KeyRow>(new CommandDefinition(sql, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToApiKey())];
    }

    /// <summary>The key with this id (any common spelling of a UUID) or name; null when there is none.</summary>
    public async Task<ApiKey?> FindAsync(string idOrName, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT id, name, kind, station_id, created_at, created_by, revoked_at, revoked_by, last_used_at
            FROM api_keys WHERE id = @id OR name = @name
            ORDER BY (id = @id) DESC LIMIT 1
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<KeyRow>(new CommandDefinition(
            sql, new { id = Guid.TryParse(idOrName, out var id) ? id : Guid.Empty, name = idOrName.Trim() }, cancellationToken: cancellationToken));
        return row?.ToApiKey();
    }

    /// <summary>
    /// Revokes a key; from the next request on it authenticates nothing. Returns the key as it now
    /// is (already-revoked keys unchanged, no second audit event), or null when no key matches.
    /// </summary>
    public async Task<ApiKey?> RevokeAsync(string idOrName, string actor, CancellationToken cancellationToken)
    {
        var key = await FindAsync(idOrName, cancellationToken);
        if (key is null || key.IsRevoked)
        {
            return key;
        }

        const string sql = """
            UPDATE api_keys SET revoked_at = @now, revoked_by = @actor
            WHERE id = @Id AND revoked_at IS NULL
            """;
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await connection.ExecuteAsync(new CommandDefinition(sql, new { key.Id, now = now.UtcDateTime, actor }, transaction, cancellationToken: cancellationToken)) == 1)
        {
            await audit.AppendAsync(connection, transaction, new AuditEntry(actor, "api-key.revoked", "api-key", key.Id.ToString(), new { name = key.Name }), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return await FindAsync(key.Id.ToString(), cancellationToken);
    }

    /// <summary>
    /// The live key a presented token belongs to; null for a malformed token, an unknown id, a wrong
    /// secret or a revoked key (callers answer all of them alike, 401, and learn nothing more).
    /// </summary>
    public async Task<ApiKey?> AuthenticateAsync(string? token, CancellationToken cancellationToken)
    {
        if (!SecretToken.StationKey.TryParse(token, out var id, out var presented))
        {
            return null;
        }

        const string sql = """
            SELECT id, name, kind, station_id, created_at, created_by, revoked_at, revoked_by, last_used_at, secret_sha256
            FROM api_keys WHERE id = @id
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<KeyWithSecretRow>(new CommandDefinition(sql, new { id }, cancellationToken: cancellationToken));
        if (row is null || !SecretToken.Matches(presented, row.SecretSha256) || row.RevokedAt is not null)
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (row.LastUsedAt is null || now - AsUtc(row.LastUsedAt.Value) > UsageResolution)
        {
            const string touch = "UPDATE api_keys SET last_used_at = @now WHERE id = @id";
            await connection.ExecuteAsync(new CommandDefinition(touch, new { id, now = now.UtcDateTime }, cancellationToken: cancellationToken));
        }

        return new KeyRow(row.Id, row.Name, row.Kind, row.StationId, row.CreatedAt, row.CreatedBy, row.RevokedAt, row.RevokedBy, row.LastUsedAt).ToApiKey();
    }

    public static string KindName(ApiKeyKind kind) => kind.ToString().ToLowerInvariant();

    private static DateTimeOffset AsUtc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    [GeneratedRegex(@"^[\p{L}\p{N}][\p{L}\p{N}._:-]{0,99}$")]
    private static partial Regex KeyName();

    private sealed record KeyRow(
        Guid Id, string Name, string Kind, string? StationId, DateTime CreatedAt, string CreatedBy, DateTime? RevokedAt, string? RevokedBy, DateTime? LastUsedAt)
    {
        public ApiKey ToApiKey() => new(
            Id,
            Name,
            Enum.Parse<ApiKeyKind>(Kind, ignoreCase: true),
            StationId,
            AsUtc(CreatedAt),
            CreatedBy,
            RevokedAt is { } revoked ? AsUtc(revoked) : null,
            RevokedBy,
            LastUsedAt is { } used ? AsUtc(used) : null);
    }

    private sealed record KeyWithSecretRow(
        Guid Id, string Name, string Kind, string? StationId, DateTime CreatedAt, string CreatedBy, DateTime? RevokedAt, string? RevokedBy, DateTime? LastUsedAt, byte[] SecretSha256);
}
