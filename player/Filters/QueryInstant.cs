using System.Globalization;
using Enforcement.Media.Player.Display;

namespace Enforcement.Media.Player.Filters;

/// <summary>
/// A time typed by a person, into a filter's query string or a form: a plain day (<c>yyyy-MM-dd</c>) of the
/// display time zone, or an ISO 8601 time — at the offset it names, or on the display zone's wall clock when it
/// names none. The ledger and the recording search read <c>from</c> and <c>to</c> the same way, pages and API
/// alike, so one window means the same everywhere, and a day means the day the people using the player live in.
/// </summary>
public static class QueryInstant
{
    /// <summary>
    /// Reads <paramref name="text"/>; a plain day is its first instant, or with <paramref name="endOfDay"/> the
    /// first instant of the next day, so that an exclusive <c>to</c> of a day takes that day in whole.
    /// </summary>
    public static bool TryParse(string text, bool endOfDay, LocalClock clock, out DateTimeOffset instant)
    {
        var trimmed = text.Trim();
        if (DateOnly.TryParseExact(trimmed, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            instant = clock.StartOf(endOfDay ? date.AddDays(1) : date);
            return true;
        }

        // RoundtripKind leaves a time without an offset Unspecified: that one is the display zone's wall clock.
        if (!DateTime.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed))
        {
            instant = default;
            return false;
        }

        if (parsed.Kind == DateTimeKind.Unspecified)
        {
            instant = clock.Instant(parsed);
            return true;
        }

        return DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out instant);
    }

    /// <summary>
    /// The input type a filter page shows <paramref name="value"/> in: a date picker for a plain day (or
    /// nothing), text for a time — which a date picker would show blank and drop when the form is sent again
    /// (the statistics link to these pages with the exact instants that bound a local day).
    /// </summary>
    public static string InputType(string? value) =>
        string.IsNullOrWhiteSpace(value) || DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) ? "date" : "text";
}
