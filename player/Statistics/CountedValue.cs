namespace Enforcement.Media.Player.Statistics;

/// <summary>How many of the rows counted have this <paramref name="Value"/> (a role, a reason), and the list of them.</summary>
public sealed record CountedValue(string Value, long Count, string Link);
