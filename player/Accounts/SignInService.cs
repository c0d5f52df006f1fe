using Enforcement.Media.Storage.Audit;

namespace Enforcement.Media.Player.Accounts;

/// <summary>
/// Checks a username and password. Every attempt that is tried does the same work whatever its outcome —
/// one user lookup, one password hash at the configured cost (against a decoy when the user is unknown),
/// the failure counts, one audit event — and every failure gets the same answer, so neither the answer nor
/// its time tells which usernames exist or are disabled. Guessing is slowed by <see cref="SignInThrottle"/>;
/// nothing a stranger does locks a user out of an existing session or token.
/// </summary>
public sealed partial class SignInService(
    UserStore users,
    PasswordHasher hasher,
    SignInThrottle throttle,
    AuditTrail audit,
    TimeProvider time,
    ILogger<SignInService> logger)
{
    private readonly Lazy<string> _decoyHash = new(() => hasher.Hash("decoy password, never matches"));

    /// <param name="attempt">The username as typed and the source it came from.</param>
    /// <param name="password">The password as typed.</param>
    /// <param name="clientAddress">The client's address, for the audit trail.</param>
    /// <param name="deviceUser">The user this browser signed in as before (<see cref="KnownDevices"/>), if any.</param>
    /// <param name="cancellationToken">Cancels the attempt.</param>
    public async Task<SignInResult> SignInAsync(SignInAttempt attempt, string? password, string clientAddress, Guid? deviceUser, CancellationToken cancellationToken)
    {
        var found = await users.FindForLoginAsync(attempt.Username, cancellationToken);
        var knownDevice = found is { } known && known.User.Id == deviceUser;
        if (await throttle.BlockAsync(attempt, knownDevice, cancellationToken) is { } block)
        {
            // Not tried, not counted, not audited one by one (a flood would flood the trail); the wait's
            // start was audited with the failure that started it.
            LogWaiting(attempt.Source, block.Key, block.Until);
            return new SignInResult(null, block.Until);
        }

        var matches = hasher.Verify(password ?? string.Empty, found?.PasswordHash ?? _decoyHash.Value, out var needsRehash);
        if (found is not { } account || !matches || account.User.DisabledAt is not null)
        {
            var why = found is null ? "unknown user" : !matches ? "wrong password" : "disabled";
            var blocks = await throttle.RecordFailureAsync(attempt, cancellationToken);
            var (actor, subject) = found is { } f ? ($"user:{f.User.Username}", f.User.Id.ToString()) : ("anonymous", attempt.Username);
            await audit.AppendAsync(
                new AuditEntry(actor, "login.failed", "user", subject, new { username = attempt.Username, clientAddress, source = attempt.Source, why, waits = blocks }),
                cancellationToken);
            foreach (var started in blocks)
            {
                LogWaitStarted(started.Key, started.Failures, started.Until, clientAddress);
            }

            return new SignInResult(null, null);
        }

        var user = account.User;
        await throttle.RecordSuccessAsync(attempt, cancellationToken);
        await users.RecordLoginAsync(user.Id, needsRehash ? hasher.Hash(password!) : null, time.GetUtcNow(), cancellationToken);
        await audit.AppendAsync(new AuditEntry($"user:{user.Username}", "login.succeeded", "user", user.Id.ToString(), new { clientAddress, source = attempt.Source, knownDevice }), cancellationToken);
        return new SignInResult(user, null);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sign-in from {Source} refused unchecked: {Key} must wait until {Until:O}")]
    private partial void LogWaiting(string source, string key, DateTimeOffset until);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-ins for {Key} must wait until {Until:O} after {Failures} failures (last from {ClientAddress})")]
    private partial void LogWaitStarted(string key, int failures, DateTimeOffset until, string clientAddress);
}
