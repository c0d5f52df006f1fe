namespace Enforcement.Media.Player.Statistics;

/// <summary>
/// Configuration section <c>Display</c>, as far as statistics read it: the zone whose calendar days and
/// months the figures are counted by (the deployment's, UTC+8 in China), not UTC's — a UTC day would split
/// a Chinese working day at 08:00.
/// </summary>
public sealed class StatisticsDisplayOptions
{
    public const string Section = "Display";

    /// <summary>An IANA zone name.</summary>
    public string TimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>The zone named by <see cref="TimeZone"/>; null when the system does not know it.</summary>
    public TimeZoneInfo? FindZone() => TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out var zone) ? zone : null;
}
