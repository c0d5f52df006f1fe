using Enforcement.Media.Player.Refusals;

namespace Enforcement.Media.Player.Markers;

/// <summary>A marker refused for its input; <see cref="Field"/> names the field (as the JSON body spells it).</summary>
public sealed class MarkerInputException(string field, string message)
    : RefusedException(Refusal.Invalid, message, field)
{
    public new string Field => base.Field!;
}
