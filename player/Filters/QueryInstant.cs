using System.Globalization;

namespace Enforcement.Media.Player.Filters;

/// <summary>
/// A time typed into a filter's query string: a plain UTC day (<c>yyyy-MM-dd</c>) or an ISO 8601 time
/// (UTC unless it says otherwise). The ledger and the recording search read <c>from</c> and <c>to</c> the
/// same way, so one window means the same on both.
/// </summary>
public static class QueryInstant
{
    /// <summary>
    /// Reads <paramref name="text"/>; a plain day is its first instant, or with <paramref name="endOfDay"/> the
    /// first instant of the next day, so that an exclusive <c>to</c> of a day takes that day in whole.
    /// </summary>
    public static bool TryParse(string text, bool endOfDay, out DateTimeOffset instant)
    {
        var trimmed = text.Trim();
        if (DateOnly.TryParseExact(trimmed, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            var start = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            instant = endOfDay ? start.AddDays(1) : start;
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
