using System.Text.RegularExpressions;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Credentials;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Enforcement.Media.Player.Accounts;

/// <summary>
/// Users, their passwords and API tokens, and ending their sessions. Every change is audited in the
/// transaction that makes it. No one obtains a credential that acts as someone else: API tokens are issued
/// to their owner only, and a password an admin sets must be replaced by its owner at the next sign-in
/// before anything else is possible. (Sign-in itself: <see cref="SignInService"/>.)
/// </summary>
public sealed partial class AccountService(
    NpgsqlDataSource dataSource,
    UserStore users,
    PasswordHasher hasher,
    AuditTrail audit,
    IOptions<AccountOptions> options,
    TimeProvider time)
{
    public const int MinimumPasswordLength = 12;

    /// <summary>
    /// Creates a user. <paramref name="mustChangePassword"/> when someone other than the user chose the
    /// password (an admin's form): the user must then replace it before doing anything else.
    /// </summary>
    public async Task<UserAccount> CreateAsync(
        string username, string displayName, string? unitCode, IReadOnlyList<string> roles, string password, bool mustChangePassword, string actor, CancellationToken cancellationToken)
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
        var user = new UserAccount(Guid.CreateVersion7(time.GetUtcNow()), username, displayName.Trim(), string.IsNullOrWhiteSpace(unitCode) ? null : unitCode.Trim(), [.. roles.Distinct()], Guid.NewGuid(), null, mustChangePassword);
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

        await audit.AppendAsync(connection, transaction, new AuditEntry(actor, "user.created", "user", user.Id.ToString(), new { user.Username, user.DisplayName, user.UnitCode, user.Roles, passwordMustChange = mustChangePassword }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return user;
    }

    /// <summary>
    /// An admin's change of another user's roles, password, status or unit. A password set here must be
    /// replaced by its owner at the next sign-in. Every change ends the user's browser sessions.
    /// </summary>
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

        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        bool changed;
        try
        {
            changed = await UserStore.UpdateAsync(
                connection, transaction, userId, roles?.Distinct().ToList(), newPassword is null ? null : hasher.Hash(newPassword), passwordMustChange: true, disabled, unitCode, now, cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            throw new AccountException($"There is no unit '{unitCode}'.");
        }

        if (!changed)
        {
            throw new AccountException("There is no such user.");
        }

        var ended = await UserSessionStore.EndAllAsync(connection, transaction, userId, UserSessionStore.AccountChanged, now, null, cancellationToken);
        await audit.AppendAsync(
            connection,
            transaction,
            new AuditEntry(actor, "user.changed", "user", userId.ToString(), new { roles, passwordChanged = newPassword is not null, passwordMustChange = newPassword is not null ? true : (bool?)null, disabled, unitCode, sessionsEnded = ended }),
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// A user's change of their own password: the current one must be given, the new one must differ.
    /// Ends every browser session of the user (the caller signs the current browser in again).
    /// </summary>
    public async Task ChangeOwnPasswordAsync(Guid userId, string? currentPassword, string? newPassword, string clientAddress, CancellationToken cancellationToken)
    {
        CheckPassword(newPassword ?? string.Empty);
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var user = await users.FindAsync(userId, cancellationToken) ?? throw new AccountException("There is no such user.");
        var hash = await UserStore.PasswordHashAsync(connection, transaction, userId, cancellationToken) ?? throw new AccountException("There is no such user.");
        if (!hasher.Verify(currentPassword ?? string.Empty, hash, out _))
        {
            await audit.AppendAsync(new AuditEntry(Actor(user), "user.password-change-refused", "user", userId.ToString(), new { clientAddress, why = "wrong current password" }), cancellationToken);
            throw new AccountException("The current password is wrong.");
        }

        if (hasher.Verify(newPassword!, hash, out _))
        {
            throw new AccountException("Choose a password different from the current one.");
        }

        await UserStore.UpdateAsync(connection, transaction, userId, null, hasher.Hash(newPassword!), passwordMustChange: false, null, null, now, cancellationToken);
        var ended = await UserSessionStore.EndAllAsync(connection, transaction, userId, UserSessionStore.PasswordChanged, now, null, cancellationToken);
        await audit.AppendAsync(
            connection, transaction, new AuditEntry(Actor(user), "user.password-changed", "user", userId.ToString(), new { clientAddress, wasSetByAdmin = user.PasswordMustChange, sessionsEnded = ended }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Issues an API token to its owner, acting as themselves; the returned text is shown once and never stored.</summary>
    public async Task<string> IssueOwnTokenAsync(Guid ownerId, string name, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100)
        {
            throw new AccountException("A token needs a name of 1–100 characters.");
        }

        var owner = await users.FindAsync(ownerId, cancellationToken) ?? throw new AccountException("There is no such user.");
        if (owner.PasswordMustChange || owner.DisabledAt is not null)
        {
            throw new AccountException("Choose your own password before you issue a token.");
        }

        var tokenId = Guid.CreateVersion7(time.GetUtcNow());
        var (text, secretSha256) = SecretToken.UserToken.Issue(tokenId);
        var now = time.GetUtcNow();
        var expires = now + options.Value.ApiTokenLifetime;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await UserStore.InsertTokenAsync(connection, transaction, tokenId, ownerId, name.Trim(), secretSha256, now, expires, cancellationToken);
        await audit.AppendAsync(connection, transaction, new AuditEntry(Actor(owner), "token.issued", "user", ownerId.ToString(), new { tokenId, name = name.Trim(), expires }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return text;
    }

    /// <summary>Revokes one live token of <paramref name="ownerId"/> (by the owner or an admin); false when that user has no such live token.</summary>
    public async Task<bool> RevokeTokenAsync(Guid ownerId, Guid tokenId, string actor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!await UserStore.RevokeTokenAsync(connection, transaction, ownerId, tokenId, time.GetUtcNow(), cancellationToken))
        {
            return false;
        }

        await audit.AppendAsync(connection, transaction, new AuditEntry(actor, "token.revoked", "token", tokenId.ToString(), new { owner = ownerId }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Ends every browser session of a user and revokes every API token of theirs (a lost laptop, a
    /// suspected leak). Existing cookies stop at their next request. Returns what ended.
    /// </summary>
    public async Task<(int Sessions, int Tokens)> SignOutEverywhereAsync(Guid userId, string actor, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!await UserStore.UpdateAsync(connection, transaction, userId, null, null, passwordMustChange: false, null, null, now, cancellationToken))
        {
            throw new AccountException("There is no such user.");
        }

        var sessions = await UserSessionStore.EndAllAsync(connection, transaction, userId, UserSessionStore.SignedOutEverywhere, now, null, cancellationToken);
        var tokens = await UserStore.RevokeAllTokensAsync(connection, transaction, userId, now, cancellationToken);
        await audit.AppendAsync(connection, transaction, new AuditEntry(actor, "user.signed-out-everywhere", "user", userId.ToString(), new { sessionsEnded = sessions, tokensRevoked = tokens }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (sessions, tokens.Count);
    }

    /// <summary>A user ends their other browser sessions, keeping <paramref name="currentSessionId"/>; returns how many ended.</summary>
    public async Task<int> EndOtherSessionsAsync(Guid userId, Guid currentSessionId, string actor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var ended = await UserSessionStore.EndAllAsync(connection, transaction, userId, UserSessionStore.SignedOut, time.GetUtcNow(), currentSessionId, cancellationToken);
        await audit.AppendAsync(connection, transaction, new AuditEntry(actor, "user.other-sessions-ended", "user", userId.ToString(), new { sessionsEnded = ended }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ended;
    }

    /// <summary>The user a bearer token acts for, or null when the token is unknown, wrong, revoked, expired, or its user is disabled.</summary>
    public async Task<UserAccount?> AuthenticateTokenAsync(string tokenText, CancellationToken cancellationToken)
    {
        if (!SecretToken.UserToken.TryParse(tokenText, out var tokenId, out var presented))
        {
            return null;
        }

        if (await users.FindLiveTokenAsync(tokenId, time.GetUtcNow(), cancellationToken) is not { } stored || !SecretToken.Matches(presented, stored.SecretHash))
        {
            return null;
        }

        var user = await users.FindAsync(stored.UserId, cancellationToken);
        return user is { DisabledAt: null } ? user : null;
    }

    public static void CheckPassword(string password)
    {
        if (password.Length < MinimumPasswordLength || password.Length > 256)
        {
            throw new AccountException($"A password is {MinimumPasswordLength}–256 characters.");
        }
    }

    private static string Actor(UserAccount user) => $"user:{user.Username}";

    private static void CheckRoles(IReadOnlyList<string> roles)
    {
        var unknown = roles.Where(r => !Roles.All.Contains(r)).ToList();
        if (unknown.Count > 0)
        {
            throw new AccountException($"Unknown role(s) {string.Join(", ", unknown)}; roles are {string.Join(", ", Roles.All)}.");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{2,64}$")]
    private static partial Regex UsernamePattern();
}
