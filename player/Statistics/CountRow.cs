namespace Enforcement.Media.Player.Statistics;

/// <summary>A grouped count.</summary>
internal sealed record CountRow(bool IsTotal, string? GroupKey, long Count) : GroupedRow(IsTotal, GroupKey);
