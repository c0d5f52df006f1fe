using System.Globalization;
using Enforcement.Media.Storage.Catalogue;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Player.Display;

/// <summary>
/// The one place the player turns instants into what people read, and the days people type into instants:
/// <c>Display:TimeZone</c> (<see cref="DisplayOptions"/>). A time is shown with its offset
/// (<c>2026-12-08 09:30:15 +08:00</c>), so a printed page or a CSV passed on still says which instant it
/// means; a day is midnight to midnight in that zone, whatever its offset that day.
/// </summary>
public sealed class LocalClock
{
    /// <summary>How every page, CSV and report writes an instant.</summary>
    public const string Pattern = "yyyy-MM-dd HH:mm:ss zzz";

    /// <summary>What is shown for a time that is not there (not yet ended, never docked…).</summary>
    public const string None = "—";

    public LocalClock(IOptions<DisplayOptions> options)
        : this(TimeZoneInfo.FindSystemTimeZoneById(options.Value.TimeZone))
    {
    }

    public LocalClock(TimeZoneInfo zone) => Zone = zone;

    public TimeZoneInfo Zone { get; }

    /// <summary>The instant as the zone's wall clock shows it, with the offset that applies then.</summary>
    public DateTimeOffset Local(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    public string Show(DateTimeOffset instant) => Local(instant).ToString(Pattern, CultureInfo.InvariantCulture);

    public string Show(DateTimeOffset? instant) => instant is { } value ? Show(value) : None;

    /// <summary>A catalogue time: Npgsql reads <c>timestamptz</c> as a UTC <see cref="DateTime"/>.</summary>
    public string Show(DateTime utc) => Show(Utc.From(utc));

    public string Show(DateTime? utc) => utc is { } value ? Show(value) : None;

    /// <summary>The day the instant falls on in the zone, <c>yyyy-MM-dd</c> (what a date filter's box shows back).</summary>
    public string Day(DateTimeOffset instant) => Local(instant).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>
    /// The first instant of <paramref name="day"/> in the zone. Where a zone skips midnight (a daylight-saving
    /// change at 00:00), the day starts at the first wall-clock time that exists.
    /// </summary>
    public DateTimeOffset StartOf(DateOnly day)
    {
        var wall = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (Zone.IsInvalidTime(wall))
        {
            wall = wall.AddMinutes(15);
        }

        return new DateTimeOffset(wall, Zone.GetUtcOffset(wall));
    }

    /// <summary>A wall-clock time of the zone (a time typed without an offset) as an instant.</summary>
    public DateTimeOffset Instant(DateTime wall)
    {
        var unspecified = DateTime.SpecifyKind(wall, DateTimeKind.Unspecified);
        while (Zone.IsInvalidTime(unspecified))
        {
            unspecified = unspecified.AddMinutes(15);
        }

        return new DateTimeOffset(unspecified, Zone.GetUtcOffset(unspecified));
    }
}
