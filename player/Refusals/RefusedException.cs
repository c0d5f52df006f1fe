namespace Enforcement.Media.Player.Refusals;

/// <summary>
/// A request refused as asked, nothing changed: <see cref="Kind"/> says why in the domain's terms and
/// <see cref="Field"/> names the input to fix, when there is one. Each feature throws its own subclass;
/// <see cref="RefusedProblemFilter"/> answers them all the same way (<see cref="RefusalStatus"/>).
/// </summary>
public abstract class RefusedException(Refusal kind, string message, string? field) : Exception(message)
{
    public Refusal Kind { get; } = kind;

    public string? Field { get; } = field;

    /// <summary>Every field at fault with what is wrong with each, when there are several; null when <see cref="Field"/> says it all.</summary>
    public virtual IReadOnlyDictionary<string, string[]>? Errors => null;
}
