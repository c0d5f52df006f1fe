namespace Enforcement.Media.Player.Refusals;

/// <summary>
/// A request refused as asked, nothing changed: <see cref="StatusCode"/> is the HTTP answer and
/// <see cref="Field"/> names the input to fix, when there is one. Each feature throws its own subclass;
/// <see cref="RefusedProblemFilter"/> answers them all the same way.
/// </summary>
public abstract class RefusedException(int statusCode, string message, string? field) : Exception(message)
{
    public int StatusCode { get; } = statusCode;

    public string? Field { get; } = field;
}
