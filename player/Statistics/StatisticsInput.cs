namespace Enforcement.Media.Player.Statistics;

/// <summary>
/// The statistics as asked: the query string of <c>GET /api/v1/statistics</c>, of its drill-down list and of
/// their pages, before <see cref="StatisticsFilter.Parse"/> reads it. Blank means the default.
/// </summary>
public sealed record StatisticsInput(
    string? From = null,
    string? To = null,
    string? Unit = null,
    string? Subunits = null,
    string? Officer = null,
    string? Recorder = null,
    string? GroupBy = null);
