using Dapper;
using Enforcement.Media.Storage.Catalogue;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Enforcement.Media.Player.Accounts;

/// <summary>
/// Slows password guessing without handing anyone a way to shut a user out (OWASP Authentication Cheat
/// Sheet, "Account Lockout"). Failures are counted three ways: one username from one source (5 before a
/// wait), one source whatever the usernames (20), one username from anywhere (50; a browser that signed
/// in as that user before is exempt, so a user is not locked out by someone else's guesses). Reaching a
/// limit imposes a wait of <see cref="AccountOptions.LockoutDuration"/>, doubled by every further failure up
/// to <see cref="AccountOptions.MaxLockoutDuration"/>. Nothing else is locked: the user's sessions and
/// tokens stay valid, and a right password from another source works. Counts are kept in PostgreSQL, so
/// every player instance sees the same ones, and keyed by the username as typed, so a name that does not
/// exist is counted exactly like one that does.
/// </summary>
public sealed class SignInThrottle(NpgsqlDataSource dataSource, IOptions<AccountOptions> options, TimeProvider time)
{
    /// <summary>The longest wait in force for this attempt, or null when it may go ahead.</summary>
    public async Task<SignInBlock?> BlockAsync(SignInAttempt attempt, bool knownDevice, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT key, failures, blocked_until AS until FROM sign_in_throttle
            WHERE key = ANY(@keys) AND blocked_until > @now
            ORDER BY blocked_until DESC
            LIMIT 1
            """;
        string[] keys = knownDevice ? [attempt.SourceKey, attempt.PairKey] : [attempt.SourceKey, attempt.PairKey, attempt.NameKey];
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<BlockRow>(new CommandDefinition(sql, new { keys, now = time.GetUtcNow().UtcDateTime }, cancellationToken: cancellationToken));
        return row is null ? null : new SignInBlock(row.Key, row.Failures, Utc.From(row.Until));
    }

    /// <summary>Counts a failed sign-in three ways; returns the waits it started.</summary>
    public async Task<IReadOnlyList<SignInBlock>> RecordFailureAsync(SignInAttempt attempt, CancellationToken cancellationToken)
    {
        const string count = """
            INSERT INTO sign_in_throttle AS t (key, failures, first_failed_at, last_failed_at)
            VALUES (@key, 1, @now, @now)
            ON CONFLICT (key) DO UPDATE SET
                failures = CASE WHEN t.last_failed_at < @forgetBefore THEN 1 ELSE t.failures + 1 END,
                first_failed_at = CASE WHEN t.last_failed_at < @forgetBefore THEN @now ELSE t.first_failed_at END,
                blocked_until = CASE WHEN t.last_failed_at < @forgetBefore THEN NULL ELSE t.blocked_until END,
                last_failed_at = @now
            RETURNING failures
            """;
        const string block = "UPDATE sign_in_throttle SET blocked_until = @until WHERE key = @key";
        var settings = options.Value;
        var now = time.GetUtcNow();
        var blocks = new List<SignInBlock>();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        foreach (var (key, limit) in new[] { (attempt.PairKey, settings.MaxFailedLogins), (attempt.SourceKey, settings.MaxFailedLoginsPerSource), (attempt.NameKey, settings.MaxFailedLoginsPerUsername) })
        {
            var failures = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
                count, new { key, now = now.UtcDateTime, forgetBefore = (now - settings.FailureWindow).UtcDateTime }, cancellationToken: cancellationToken));
            if (failures >= limit)
            {
                var until = now + Wait(failures - limit, settings);
                await connection.ExecuteAsync(new CommandDefinition(block, new { key, until = until.UtcDateTime }, cancellationToken: cancellationToken));
                blocks.Add(new SignInBlock(key, failures, until));
            }
        }

        return blocks;
    }

    /// <summary>A right password clears what this username's failures counted; the source's count stays (it may be guessing other names).</summary>
    public async Task RecordSuccessAsync(SignInAttempt attempt, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM sign_in_throttle WHERE key = ANY(@keys)", new { keys = new[] { attempt.PairKey, attempt.NameKey } }, cancellationToken: cancellationToken));
    }

    /// <summary>Forgets counts with no failure within the window and no wait still running; returns how many.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        const string sql = """
            DELETE FROM sign_in_throttle
            WHERE last_failed_at < @forgetBefore AND (blocked_until IS NULL OR blocked_until < @now)
            """;
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            sql, new { now = now.UtcDateTime, forgetBefore = (now - options.Value.FailureWindow).UtcDateTime }, cancellationToken: cancellationToken));
    }

    /// <summary>The wait after <paramref name="beyond"/> failures past the limit: the lockout duration, doubled for each.</summary>
    public static TimeSpan Wait(int beyond, AccountOptions settings)
    {
        var doubled = settings.LockoutDuration * Math.Pow(2, Math.Clamp(beyond, 0, 20));
        return doubled < settings.MaxLockoutDuration ? doubled : settings.MaxLockoutDuration;
    }

    private sealed record BlockRow(string Key, int Failures, DateTime Until);
}
