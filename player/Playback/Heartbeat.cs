using System.Globalization;
using Enforcement.Media.Player.Refusals;

namespace Enforcement.Media.Player.Playback;

/// <summary>The body of a heartbeat: where the page's player is (seconds of media time), whether it plays, at what rate.</summary>
public sealed record Heartbeat(double? Position, bool? Playing, double? Rate)
{
    /// <summary>
    /// The player's state as the page went, sent with the end beacon as <c>?position=&amp;playing=&amp;rate=</c>
    /// (a beacon's body is its antiforgery token); null when none of them is given. A value that does not
    /// parse is refused here, one that is out of range where every heartbeat is checked.
    /// </summary>
    public static Heartbeat? FromQuery(IQueryCollection query)
    {
        if (!query.ContainsKey("position") && !query.ContainsKey("playing") && !query.ContainsKey("rate"))
        {
            return null;
        }

        return new Heartbeat(Number(query, "position"), Flag(query, "playing"), Number(query, "rate"));
    }

    private static double? Number(IQueryCollection query, string name) =>
        query[name].ToString() is not { Length: > 0 } text ? null
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value
        : throw new PlaybackRefusedException(Refusal.Invalid, $"The {name} is a number, such as 12.5.", name);

    private static bool? Flag(IQueryCollection query, string name) =>
        query[name].ToString() is not { Length: > 0 } text ? null
        : bool.TryParse(text, out var value) ? value
        : throw new PlaybackRefusedException(Refusal.Invalid, $"The {name} is true or false.", name);
}
