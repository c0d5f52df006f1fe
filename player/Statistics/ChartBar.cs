namespace Enforcement.Media.Player.Statistics;

/// <summary>One bar or point of a chart: what it is, its value, the value as shown, and the list behind it (none: not a link).</summary>
public sealed record ChartBar(string Label, double Value, string ValueText, string? Link = null);
