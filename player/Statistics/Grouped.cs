namespace Enforcement.Media.Player.Statistics;

/// <summary>
/// One figure counted over the whole scope and in each group. The total is counted, not summed: a request or
/// an activity in two groups is counted once in it, and percentiles cannot be added up.
/// </summary>
public sealed class Grouped<T>(T total, IEnumerable<(string? Key, T Figures)> groups)
{
    private readonly List<(string? Key, T Figures)> _groups = [.. groups];
    private readonly Dictionary<string, T> _byKey = groups.Where(g => g.Key is not null).ToDictionary(g => g.Key!, g => g.Figures, StringComparer.Ordinal);

    public T Total { get; } = total;

    /// <summary>The keys that have figures (null: rows of no unit, officer or recorder).</summary>
    public IEnumerable<string?> Keys => _groups.Select(g => g.Key);

    /// <summary>The figures of a group, or <paramref name="none"/> when nothing fell in it.</summary>
    public T Of(string? key, T none) =>
        key is null ? _groups.Where(g => g.Key is null).Select(g => g.Figures).DefaultIfEmpty(none).First()
        : _byKey.TryGetValue(key, out var figures) ? figures : none;
}
