using System.Text.RegularExpressions;
using Enforcement.Media.Storage.Audit;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Enforcement.Media.Player.Accounts;

/// <summary>
/// Users, logins and API tokens. Every login (success or failure), account change and token is
/// audited. Failed logins lock the account after a limit; a wrong username costs the same time as a
/// wrong password, so usernames cannot be discovered by timing.
/// </summary>
public sealed partial class AccountService(
    NpgsqlDataSource dataSource,
    UserStore users,
    PasswordHasher hasher,
    AuditTrail audit,
    IOptions<AccountOptions> options,
    TimeProvider time,
    ILogger<AccountService> logger)
{
    public const int MinimumPasswordLength = 12;
    private readonly Lazy<string> _decoyHash = new(() => hasher.Hash("decoy password, never matches"));

    public async Task<UserAccount> CreateAsync(string username, string displayName, string? unitCode, IReadOnlyList<string> roles, string password, string actor, CancellationToken cancellationToken)
    {
        username = username.Trim();
        if (!UsernamePattern().IsMatch(username))
        {
            throw new AccountException("A username is 2–64 letters, digits, dots, dashes or underscores.");
        }

        if (string.IsNullOrWhiteSpace(displayName) || displayName.Length > 100)
        {
            throw new AccountException("A display name is 1–100 characters.");
        }

        CheckRoles(roles);
        CheckPassword(password);
        var user = new UserAccount(Guid.CreateVersion7(time.GetUtcNow()), username, displayName.Trim(), string.IsNullOrWhiteSpace(unitCode) ? null : unitCode.Trim(), [.. roles.Distinct()], Guid.NewGuid(), null, null);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await UserStore.InsertAsync(connection, transaction, user, hasher.Hash(password), actor, time.GetUtcNow(), cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new AccountException($"The username '{username}' is taken.");
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            throw new AccountException($"There is no unit '{unitCode}'.");
        }

        await audit.AppendAsync(connection, transaction, new AuditEntry(actor, "user.created", "user", user.Id.ToString(), new { user.Username, user.DisplayName, user.UnitCode, user.Roles }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return user;
    }

    public async Task<LoginResult> LoginAsync(string username, string password, string clientAddress, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var found = string.IsNullOrWhiteSpace(username) || username.Length > 64 ? null : await users.FindForLoginAsync(username.Trim(), cancellationToken);
        if (found is not { } account)
        {
            hasher.Verify(password ?? string.Empty, _decoyHash.Value, out _);
            await AuditLoginAsync("anonymous", "login.failed", username?.Trim() ?? string.Empty, new { username = Truncate(username), clientAddress, why = "unknown user" }, cancellationToken);
            return new LoginResult(LoginOutcome.Failed, null);
        }

        var (user, hash) = account;
        var actor = $"user:{user.Username}";
        if (user.DisabledAt is not null)
        {
            await AuditLoginAsync(actor, "login.failed", user.Id.ToString(), new { clientAddress, why = "disabled" }, cancellationToken);
            return new LoginResult(LoginOutcome.Disabled, null);
        }

        if (user.LockedUntil is { } locked && locked > now)
        {
            await AuditLoginAsync(actor, "login.failed", user.Id.ToString(), new { clientAddress, why = "locked out", until = locked }, cancellationToken);
            return new LoginResult(LoginOutcome.LockedOut, null, locked);
        }

        if (!hasher.Verify(password ?? string.Empty, hash, out var needsRehash))
        {
            var lockedUntil = await users.RecordFailedLoginAsync(user.Id, options.Value.MaxFailedLogins, options.Value.LockoutDuration, now, cancellationToken);
            await AuditLoginAsync(actor, "login.failed", user.Id.ToString(), new { clientAddress, why = "wrong password", lockedUntil }, cancellationToken);
            if (lockedUntil is not null)
            {
                LogLockedOut(user.Username, lockedUntil.Value);
                return new LoginResult(LoginOutcome.LockedOut, null, lockedUntil);
            }

            return new LoginResult(LoginOutcome.Failed, null);
        }

        await users.RecordLoginAsync(user.Id, needsRehash ? hasher.Hash(password!) : null, now, cancellationToken);
        await AuditLoginAsync(actor, "login.succeeded", user.Id.ToString(), new { clientAddress }, cancellationToken);
        return new LoginResult(LoginOutcome.Succeeded, user);
    }

    public async Task ChangeAsync(Guid userId, IReadOnlyList<string>? roles, string? newPassword, bool? disabled, string? unitCode, string actor, CancellationToken cancellationToken)
    {
        if (roles is not null)
        {
            CheckRoles(roles);
        }

        if (newPassword is not null)
        {
            CheckPassword(newPassword);
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        bool changed;
        try
        {
            changed = await UserStore.UpdateAsync(connection, transaction, userId, roles?.Distinct().ToList(), newPassword is null ? null : hasher.Hash(newPassword), disabled, unitCode, time.GetUtcNow(), cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            throw new AccountException($"There is no unit '{unitCode}'.");
        }

        if (!changed)
        {
            throw new AccountException("There is no such user.");
        }

        await audit.AppendAsync(connection, transaction, new AuditEntry(actor, "user.changed", "user", userId.ToString(), new { roles, passwordChanged = newPassword is not null, disabled, unitCode }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Issues an API token for a user; the returned text is shown once and never stored.</summary>
    public async Task<string> IssueTokenAsync(Guid userId, string name, string actor, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100)
        {
            throw new AccountException("A token needs a name of 1–100 characters.");
        }

        var token = ApiToken.New();
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await UserStore.InsertTokenAsync(connection, transaction, token.Id, userId, name.Trim(), token.SecretHash, now, now + options.Value.ApiTokenLifetime, cancellationToken);
        await audit.AppendAsync(connection, transaction, new AuditEntry(actor, "token.issued", "user", userId.ToString(), new { tokenId = token.Id, name = name.Trim(), expires = now + options.Value.ApiTokenLifetime }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return token.ToString();
    }

    public async Task<bool> RevokeTokenAsync(Guid tokenId, string actor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!await UserStore.RevokeTokenAsync(connection, transaction, tokenId, time.GetUtcNow(), cancellationToken))
        {
            return false;
        }

        await audit.AppendAsync(connection, transaction, new AuditEntry(actor, "token.revoked", "token", tokenId.ToString()), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>The user a bearer token acts for, or null when the token is unknown, wrong, revoked, expired, or its user may not log in.</summary>
    public async Task<UserAccount?> AuthenticateTokenAsync(string tokenText, CancellationToken cancellationToken)
    {
        if (!ApiToken.TryParse(tokenText, out var token))
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (await users.FindLiveTokenAsync(token.Id, now, cancellationToken) is not { } stored || !token.Matches(stored.SecretHash))
        {
            return null;
        }

        var user = await users.FindAsync(stored.UserId, cancellationToken);
        return user is { DisabledAt: null } && !(user.LockedUntil > now) ? user : null;
    }

    private async Task AuditLoginAsync(string actor, string action, string subjectId, object details, CancellationToken cancellationToken) =>
        await audit.AppendAsync(new AuditEntry(actor, action, "user", subjectId, details), cancellationToken);

    private static void CheckRoles(IReadOnlyList<string> roles)
    {
        var unknown = roles.Where(r => !Roles.All.Contains(r)).ToList();
        if (unknown.Count > 0)
        {
            throw new AccountException($"Unknown role(s) {string.Join(", ", unknown)}; roles are {string.Join(", ", Roles.All)}.");
        }
    }

    private static void CheckPassword(string password)
    {
        if (password.Length < MinimumPasswordLength || password.Length > 256)
        {
            throw new AccountException($"A password is {MinimumPasswordLength}–256 characters.");
        }
    }

    private static string Truncate(string? text) => text is null ? string.Empty : text.Length <= 64 ? text : text[..64] + "…";

    [GeneratedRegex("^[A-Za-z0-9._-]{2,64}$")]
    private static partial Regex UsernamePattern();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Account {Username} locked until {LockedUntil:O} after repeated failed logins")]
    private partial void LogLockedOut(string username, DateTimeOffset lockedUntil);
}
