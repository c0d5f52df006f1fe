using System.Globalization;
using Enforcement.Media.Player.Display;
using Enforcement.Media.Player.Filters;

namespace Enforcement.Media.Player.Recordings;

/// <summary>
/// What the recording search narrows by, read and checked. Each given filter narrows; none widens what the
/// viewer may see (<see cref="Visibility.RecordingVisibility"/> is applied to every search).
/// </summary>
/// <param name="Officer">The officer id (警号), exactly.</param>
/// <param name="Recorder">The recorder's device serial, exactly.</param>
/// <param name="Unit">A unit code: footage of that unit and of every unit under it.</param>
/// <param name="From">Inclusive, on the start time (<see cref="RecordingHit.StartedAt"/>).</param>
/// <param name="To">Exclusive, likewise; a plain day means through the end of that day (in the display time zone).</param>
/// <param name="Linked">True: footage with a live case link; false: footage with none.</param>
/// <param name="State">One of <see cref="States"/>: a media state, or <c>quarantined</c> (delivery not verified).</param>
/// <param name="Text">Found in the original file name (any part, any case) or as the start of the SHA-256.</param>
/// <param name="After">Where the previous page ended; null for the first page.</param>
/// <param name="PageSize">Rows on a page, at most <see cref="MaxPageSize"/>.</param>
/// <param name="Subunits">False: the unit alone, not the units under it.</param>
/// <param name="StartSource"><c>recorder</c>: footage whose recorder reported its start; <c>ingest</c>: footage whose start is its ingest.</param>
/// <param name="DelayOver">Footage stored more than this after its recorder started it (<see cref="StorageDelay"/>).</param>
public sealed record RecordingFilter(
    string? Officer,
    string? Recorder,
    string? Unit,
    DateTimeOffset? From,
    DateTimeOffset? To,
    bool? Linked,
    string? State,
    string? Text,
    SearchPosition? After,
    int PageSize,
    bool Subunits = true,
    string? StartSource = null,
    TimeSpan? DelayOver = null)
{
    public const int MaxTextLength = 200;
    public const int DefaultPageSize = 50;

    /// <summary>
    /// A page is read whole and rendered whole; a client wanting everything follows the pages, each as
    /// cheap as the first (<see cref="SearchPosition"/>).
    /// </summary>
    public const int MaxPageSize = 100;

    public const string Quarantined = "quarantined";

    public static readonly IReadOnlyList<string> States = ["unprobed", "probed", "unplayable", Quarantined];

    public static readonly IReadOnlyList<string> StartSources = ["recorder", "ingest"];

    /// <summary>Reads the query, refusing (naming the parameter) what is not a valid filter.</summary>
    public static RecordingFilter Parse(RecordingSearchInput input, LocalClock clock)
    {
        var from = Instant(input.From, "from", endOfDay: false, clock);
        var to = Instant(input.To, "to", endOfDay: true, clock);
        if (from is not null && to is not null && to <= from)
        {
            throw new RecordingSearchRefusedException("to", "The to time must be after the from time (a plain day for to means through the end of that day).");
        }

        return new RecordingFilter(
            TextOf(input.Officer, "officer"),
            TextOf(input.Recorder, "recorder"),
            TextOf(input.Unit, "unit"),
            from,
            to,
            LinkedOf(input.Linked),
            StateOf(input.State),
            TextOf(input.Q, "q"),
            PositionOf(input.Page),
            PageSizeOf(input.PageSize),
            SubunitsOf(input.Subunits),
            StartSourceOf(input.StartSource),
            DelayOf(input.DelayOver));
    }

    private static bool SubunitsOf(string? value) =>
        SubunitsParameter.TryParse(value, out var subunits) ? subunits : throw new RecordingSearchRefusedException("subunits", SubunitsParameter.Meaning);

    private static string? StartSourceOf(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var source = value.Trim().ToLowerInvariant();
        return StartSources.Contains(source)
            ? source
            : throw new RecordingSearchRefusedException("startSource", $"The startSource filter is one of {string.Join(", ", StartSources)}.");
    }

    private static TimeSpan? DelayOf(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null
        : TimeSpan.TryParse(value.Trim(), CultureInfo.InvariantCulture, out var delay) && delay >= TimeSpan.Zero ? delay
        : throw new RecordingSearchRefusedException("delayOver", "The delayOver filter is a duration, d.hh:mm:ss (1.00:00:00 is a day).");

    private static string? TextOf(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var trimmed = value.Trim();
        return trimmed.Length <= MaxTextLength
            ? trimmed
            : throw new RecordingSearchRefusedException(field, $"The {field} filter is at most {MaxTextLength} characters.");
    }

    private static DateTimeOffset? Instant(string? value, string field, bool endOfDay, LocalClock clock) =>
        string.IsNullOrWhiteSpace(value) ? null
        : QueryInstant.TryParse(value, endOfDay, clock, out var instant) ? instant
        : throw new RecordingSearchRefusedException(field, $"The {field} filter is a date (yyyy-MM-dd) or an ISO 8601 time.");

    private static bool? LinkedOf(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" => null,
        "true" => true,
        "false" => false,
        _ => throw new RecordingSearchRefusedException("linked", "The linked filter is true or false."),
    };

    private static string? StateOf(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var state = value.Trim().ToLowerInvariant();
        return States.Contains(state)
            ? state
            : throw new RecordingSearchRefusedException("state", $"The state filter is one of {string.Join(", ", States)}.");
    }

    private static SearchPosition? PositionOf(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null
        : SearchPosition.TryRead(value.Trim(), out var position) ? position
        : throw new RecordingSearchRefusedException("page", "The page is the nextPage token of an earlier answer.");

    private static int PageSizeOf(string? value) =>
        string.IsNullOrWhiteSpace(value) ? DefaultPageSize
        : int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size is >= 1 and <= MaxPageSize ? size
        : throw new RecordingSearchRefusedException("pageSize", $"The page size is a whole number from 1 to {MaxPageSize}.");
}
