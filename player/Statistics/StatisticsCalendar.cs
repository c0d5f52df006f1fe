using Microsoft.Extensions.Options;

namespace Enforcement.Media.Player.Statistics;

/// <summary>
/// The zone the statistics count days in (<c>Display:TimeZone</c>) and the clock that says which day is today:
/// reads a request's days as that zone's.
/// </summary>
public sealed class StatisticsCalendar(IOptions<StatisticsDisplayOptions> display, TimeProvider time)
{
    public TimeZoneInfo Zone { get; } = display.Value.FindZone()
        ?? throw new InvalidOperationException($"{StatisticsDisplayOptions.Section}:TimeZone '{display.Value.TimeZone}' is not a time zone this system knows.");

    public StatisticsFilter Filter(StatisticsInput input) => StatisticsFilter.Parse(input, Zone, time.GetUtcNow());

    public StatisticsRowsFilter Rows(string? figure, StatisticsInput input) => StatisticsRowsFilter.Parse(figure, input, Zone, time.GetUtcNow());
}
