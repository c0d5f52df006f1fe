namespace Enforcement.Media.Player.Statistics;

/// <summary>A row of a <c>GROUP BY GROUPING SETS ((group_key), ())</c> answer: a group's, or the whole's (<see cref="IsTotal"/>).</summary>
internal abstract record GroupedRow(bool IsTotal, string? GroupKey)
{
    /// <summary>The total row and the group rows of one answer; no row at all means nothing matched.</summary>
    public static Grouped<T> Collect<TRow, T>(IReadOnlyList<TRow> rows, Func<TRow, T> figures, T none)
        where TRow : GroupedRow =>
        new(
            rows.Where(r => r.IsTotal).Select(figures).DefaultIfEmpty(none).First(),
            rows.Where(r => !r.IsTotal).Select(r => (r.GroupKey, figures(r))));
}
