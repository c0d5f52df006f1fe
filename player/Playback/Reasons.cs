using Enforcement.Media.Player.Refusals;
namespace Enforcement.Media.Player.Playback;

/// <summary>Required free text (a reason, 事由): trimmed, non-empty, bounded; refused naming the field otherwise.</summary>
public static class Reasons
{
    public static string Require(string? value, string field, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new PlaybackRefusedException(Refusal.Invalid, $"The {field} is required: say why.", field);
        }

        var trimmed = value.Trim();
        return trimmed.Length <= maxLength
            ? trimmed
            : throw new PlaybackRefusedException(Refusal.Invalid, $"The {field} is at most {maxLength} characters.", field);
    }

    /// <summary>Request-supplied text kept for the record (user agent): cut to a bound rather than refused.</summary>
    public static string Bounded(string? value, int maxLength)
    {
        var text = (value ?? string.Empty).Trim();
        return text.Length <= maxLength ? text : text[..maxLength];
    }
}
