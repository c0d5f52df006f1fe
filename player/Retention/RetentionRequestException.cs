using Enforcement.Media.Player.Refusals;

namespace Enforcement.Media.Player.Retention;

/// <summary>A records manager's request that is not well formed (no reason, a date out of range); <paramref name="field"/> names what to fix.</summary>
public sealed class RetentionRequestException(string field, string message)
    : RefusedException(Refusal.Invalid, message, field)
{
    public new string Field => base.Field!;
}
