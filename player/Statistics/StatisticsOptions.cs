namespace Enforcement.Media.Player.Statistics;

/// <summary>Configuration section <c>Statistics</c>: what the statistics count as late.</summary>
public sealed class StatisticsOptions
{
    public const string Section = "Statistics";

    /// <summary>
    /// A recording stored more than this after its recorder started it was docked late. A day by default:
    /// agencies commonly require footage uploaded within 24 hours of the shift, and a recording stored a day
    /// after it began missed that whatever the shift.
    /// </summary>
    public TimeSpan LateDocking { get; set; } = TimeSpan.FromDays(1);
}
