namespace Enforcement.Media.Player.Markers;

/// <summary>A marker refused for its input; <see cref="Field"/> names the field (as the JSON body spells it).</summary>
public sealed class MarkerInputException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}
