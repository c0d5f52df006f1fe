namespace Enforcement.Media.Player.Accounts;

public enum LoginOutcome
{
    Succeeded,
    Failed,
    LockedOut,
    Disabled,
}
