using Enforcement.Media.Player.Display;
using Enforcement.Media.Player.Filters;
using Enforcement.Media.Player.Playback;
using Enforcement.Media.Player.Refusals;

namespace Enforcement.Media.Player.Ledger;

/// <summary>
/// The ledger's filters: case number, recording id, username, a start-time window (<c>from</c> inclusive,
/// <c>to</c> exclusive; a plain date for <c>to</c> means through the end of that day, in the display time zone), and what the
/// statistics drill down by: the recording's unit (with the units under it unless <c>subunits=false</c>),
/// officer and recorder, the viewer's role (<see cref="ViewerRole"/>) and the reason exactly as given.
/// </summary>
public sealed record LedgerFilter(
    string? Case,
    Guid? Recording,
    string? User,
    DateTimeOffset? From,
    DateTimeOffset? To,
    string? Unit = null,
    bool Subunits = true,
    string? Officer = null,
    string? Recorder = null,
    string? Role = null,
    string? Reason = null)
{
    public const int MaxTextLength = 200;

    /// <summary>A reason is matched whole, and reasons run longer than names.</summary>
    public const int MaxReasonLength = 4000;

    /// <summary>Parses query text, refusing (naming the field) what is not a valid filter.</summary>
    public static LedgerFilter Parse(LedgerInput input, LocalClock clock)
    {
        Guid? recordingId = null;
        if (!string.IsNullOrWhiteSpace(input.Recording))
        {
            recordingId = Guid.TryParse(input.Recording.Trim(), out var id) ? id : throw Bad("recording", "The recording is a recording id.");
        }

        var role = Text(input.Role, "role")?.ToLowerInvariant();
        if (role is not null && !ViewerRole.All.Contains(role))
        {
            throw Bad("role", $"The role is one of {string.Join(", ", ViewerRole.All)}.");
        }

        return new LedgerFilter(
            Text(input.Case, "case"),
            recordingId,
            Text(input.User, "user"),
            Instant(input.From, "from", endOfDay: false, clock),
            Instant(input.To, "to", endOfDay: true, clock),
            Text(input.Unit, "unit"),
            SubunitsParameter.TryParse(input.Subunits, out var subunits) ? subunits : throw Bad("subunits", SubunitsParameter.Meaning),
            Text(input.Officer, "officer"),
            Text(input.Recorder, "recorder"),
            role,
            Text(input.Reason, "reason", MaxReasonLength));
    }

    private static string? Text(string? value, string field, int maxLength = MaxTextLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var trimmed = value.Trim();
        return trimmed.Length <= maxLength ? trimmed : throw Bad(field, $"The {field} filter is at most {maxLength} characters.");
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
