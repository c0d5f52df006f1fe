using Enforcement.Media.Player.Display;
using Enforcement.Media.Player.Filters;
using Enforcement.Media.Player.Playback;
using Enforcement.Media.Player.Refusals;

namespace Enforcement.Media.Player.Ledger;

/// <summary>
/// The ledger's filters: case number, recording id, username, and a start-time window (<c>from</c>
/// inclusive, <c>to</c> exclusive; a plain date for <c>to</c> means through the end of that day, in the display time zone).
/// </summary>
public sealed record LedgerFilter(string? Case, Guid? Recording, string? User, DateTimeOffset? From, DateTimeOffset? To)
{
    public const int MaxTextLength = 200;

    /// <summary>Parses query text, refusing (naming the field) what is not a valid filter.</summary>
    public static LedgerFilter Parse(string? caseNumber, string? recording, string? user, string? from, string? to, LocalClock clock)
    {
        Guid? recordingId = null;
        if (!string.IsNullOrWhiteSpace(recording))
        {
            recordingId = Guid.TryParse(recording.Trim(), out var id) ? id : throw Bad("recording", "The recording is a recording id.");
        }

        return new LedgerFilter(Text(caseNumber, "case"), recordingId, Text(user, "user"), Instant(from, "from", endOfDay: false, clock), Instant(to, "to", endOfDay: true, clock));
    }

    private static string? Text(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var trimmed = value.Trim();
        return trimmed.Length <= MaxTextLength ? trimmed : throw Bad(field, $"The {field} filter is at most {MaxTextLength} characters.");
    }

    private static DateTimeOffset? Instant(string? value, string field, bool endOfDay, LocalClock clock)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return QueryInstant.TryParse(value, endOfDay, clock, out var instant)
            ? instant
            : throw Bad(field, $"The {field} filter is a date (yyyy-MM-dd) or an ISO 8601 time.");
    }

    private static PlaybackRefusedException Bad(string field, string message) => new(Refusal.Invalid, message, field);
}
