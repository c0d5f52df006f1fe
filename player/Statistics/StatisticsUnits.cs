using Dapper;
using Enforcement.Media.Player.Refusals;
using Enforcement.Media.Player.Visibility;
using Npgsql;

namespace Enforcement.Media.Player.Statistics;

/// <summary>
/// The unit tree as the statistics see it: which units a request covers, whether the caller may ask for them,
/// and what the groups are called.
/// </summary>
public sealed class StatisticsUnits(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// The units <paramref name="filter"/> covers for <paramref name="viewer"/>: the unit asked for, or the
    /// viewer's own, with every unit under it (unless <c>subunits=false</c>). A unit that does not exist is bad
    /// input; one outside the viewer's unit and the units under it is refused (403): unit codes are the agency's
    /// organisation chart, not a secret, but their footage is not the caller's to count.
    /// </summary>
    public async Task<StatisticsScope> ResolveAsync(Viewer viewer, StatisticsFilter filter, bool oversight, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT EXISTS (SELECT 1 FROM units WHERE code = @unit) AS known,
                   EXISTS (SELECT 1 FROM unit_ancestry WHERE ancestor_code = @viewerUnit AND descendant_code = @unit) AS within,
                   ARRAY(SELECT descendant_code FROM unit_ancestry WHERE ancestor_code = @unit AND (@subunits OR descendant_code = @unit)
                         ORDER BY descendant_code) AS units,
                   ARRAY(SELECT code FROM units WHERE parent_code = @unit ORDER BY code) AS children
            """;
        var unit = filter.Unit ?? viewer.UnitCode;
        if (unit is null)
        {
            return new StatisticsScope(viewer, filter, null, null, oversight, []);
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var found = await connection.QuerySingleAsync<UnitRow>(new CommandDefinition(
            sql, new { unit, viewerUnit = viewer.UnitCode, subunits = filter.Subunits }, cancellationToken: cancellationToken));
        if (!found.Known)
        {
            throw StatisticsRefusedException.Invalid("unit", $"There is no unit {unit}.");
        }

        if (!found.Within)
        {
            throw new StatisticsRefusedException(Refusal.NotAllowed, "unit", $"Unit {unit} is not your unit or a unit under it: its statistics are its own and its parents'.");
        }

        return new StatisticsScope(viewer, filter, unit, found.Units, oversight, found.Children);
    }

    /// <summary>The name of each unit code and of each registered officer id among <paramref name="keys"/>.</summary>
    public async Task<IReadOnlyDictionary<string, string>> NamesAsync(string groupBy, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT code AS key, name FROM units WHERE @groupBy = 'unit' AND code = ANY(@keys)
            UNION ALL
            SELECT officer_id, name FROM officers WHERE @groupBy = 'officer' AND officer_id = ANY(@keys) AND name IS NOT NULL
            """;
        if (keys.Count == 0 || groupBy is not (StatisticsFilter.ByUnit or StatisticsFilter.ByOfficer))
        {
            return new Dictionary<string, string>();
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Key, string Name)>(new CommandDefinition(sql, new { groupBy, keys = keys.ToArray() }, cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.Key, r => r.Name, StringComparer.Ordinal);
    }

    /// <summary>The viewer's unit and every unit under it, each under its parent (by its path from the top), for the page's choice of unit; nothing for a viewer of no unit.</summary>
    public async Task<IReadOnlyList<(string Code, string Name, int Depth)>> TreeAsync(Viewer viewer, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT u.code, u.name, a.depth
            FROM unit_ancestry a JOIN units u ON u.code = a.descendant_code
            WHERE a.ancestor_code = @viewerUnit
            ORDER BY ARRAY(SELECT p.ancestor_code FROM unit_ancestry p WHERE p.descendant_code = u.code ORDER BY p.depth DESC)
            """;
        if (viewer.UnitCode is null)
        {
            return [];
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<(string, string, int)>(new CommandDefinition(sql, new { viewerUnit = viewer.UnitCode }, cancellationToken: cancellationToken))];
    }

    /// <summary>Property-mapped: Dapper binds PostgreSQL arrays only through setters.</summary>
    private sealed class UnitRow
    {
        public bool Known { get; set; }

        public bool Within { get; set; }

        public string[] Units { get; set; } = [];

        public string[] Children { get; set; } = [];
    }
}
