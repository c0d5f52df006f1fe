namespace Enforcement.Media.Player.Accounts;

/// <summary>
/// The outcome of a sign-in: the user on success; otherwise <see cref="WaitUntil"/> when the attempt was
/// not even tried because a wait is in force. Every other failure is one and the same answer, whatever
/// its cause (unknown user, wrong password, disabled account), so the answer tells nobody which names exist.
/// </summary>
public sealed record SignInResult(UserAccount? User, DateTimeOffset? WaitUntil)
{
    public bool Succeeded => User is not null;
}
