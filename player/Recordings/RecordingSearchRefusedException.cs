using Enforcement.Media.Player.Refusals;

namespace Enforcement.Media.Player.Recordings;

/// <summary>A recording search refused for its input; <see cref="Field"/> names the query parameter to fix.</summary>
public sealed class RecordingSearchRefusedException(string field, string message)
    : RefusedException(Refusal.Invalid, message, field)
{
    public new string Field => base.Field!;
}
