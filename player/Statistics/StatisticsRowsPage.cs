namespace Enforcement.Media.Player.Statistics;

/// <summary>
/// The rows behind one number, newest first (activities in start order), at most <see cref="StatisticsRows.MaxRows"/>;
/// <paramref name="More"/> says there were more than listed.
/// </summary>
public sealed record StatisticsRowsPage(string Figure, IReadOnlyList<object> Items, bool More);
