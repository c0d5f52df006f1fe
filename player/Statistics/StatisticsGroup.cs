namespace Enforcement.Media.Player.Statistics;

/// <summary>
/// One group of the figures: a sub-unit (with the units under it), an officer, a recorder, a local day or month.
/// <paramref name="Key"/> is the code, id, serial, <c>yyyy-MM-dd</c> or <c>yyyy-MM</c>; null gathers footage
/// of no unit, officer or recorder. <paramref name="Label"/> is its name where the catalogue has one.
/// </summary>
public sealed record StatisticsGroup(string? Key, string? Label, GroupFigures Figures);
