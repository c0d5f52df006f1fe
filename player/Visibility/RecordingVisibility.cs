using Dapper;
using Enforcement.Media.Storage.Catalogue;
using Npgsql;

namespace Enforcement.Media.Player.Visibility;

/// <summary>
/// The one rule of which recordings a user may see (调阅者资格与查阅范围): not disposed of,
/// and of the user's unit or a unit under it, or linked to a case the user may see (<see cref="CaseVisibility"/>). Viewing,
/// approvals, exports and the ledger all use this predicate, so they cannot drift apart; the ledger and the
/// export listings use its scope part (<see cref="ScopePredicate"/>), which keeps footage disposed of since.
/// </summary>
/// <remarks>
/// The rule is about footage, not roles: who may act at all is the endpoint's policy. Admins manage
/// people and get no footage — the watch, approve and ledger policies leave the admin role out — and an
/// admin who also holds a reviewer role sees by this rule like anyone else.
/// </remarks>
public static class RecordingVisibility
{
    /// <summary>
    /// A SQL condition on the recording aliased <c>r</c> (its case subquery's own <c>c</c> shadows any outer
    /// alias of that name, as SQL scoping says), with parameters <c>@viewerId</c> (uuid) and
    /// <c>@viewerUnit</c> (text, may be null: a user of no unit sees only cases assigned to them).
    /// </summary>
    public const string Predicate = $"(r.disposed_at IS NULL AND {ScopePredicate})";

    /// <summary>
    /// <see cref="Predicate"/> without "not disposed of": whose footage it is, for records that outlive it.
    /// The access ledger uses it, since a viewing stays on record after the footage it showed is disposed of.
    /// </summary>
    public const string ScopePredicate = $"""
        ((@viewerUnit::text IS NOT NULL
          AND (r.unit_code = @viewerUnit
               OR EXISTS (SELECT 1 FROM unit_ancestry ru WHERE ru.ancestor_code = @viewerUnit AND ru.descendant_code = r.unit_code)))
         OR EXISTS (SELECT 1 FROM recording_links vl JOIN cases c ON c.id = vl.case_id
                    WHERE vl.recording_id = r.id AND vl.unlinked_at IS NULL
                      AND {CaseVisibility.Predicate}))
        """;

    /// <summary><see cref="Predicate"/> for <paramref name="viewer"/>, as the stores in storage take it.</summary>
    public static RecordingCondition For(Viewer viewer) => new(Predicate, new { viewerId = viewer.UserId, viewerUnit = viewer.UnitCode });

    /// <summary>The recordings among <paramref name="ids"/> that <paramref name="viewer"/> may see.</summary>
    public static async Task<IReadOnlyList<Guid>> VisibleAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Viewer viewer, IReadOnlyList<Guid> ids, CancellationToken cancellationToken)
    {
        const string sql = $"SELECT r.id FROM recordings r WHERE r.id = ANY(@ids) AND {Predicate}";
        return [.. await connection.QueryAsync<Guid>(new CommandDefinition(sql, new { ids = ids.ToArray(), viewerId = viewer.UserId, viewerUnit = viewer.UnitCode }, transaction, cancellationToken: cancellationToken))];
    }

    public static async Task<bool> IsVisibleAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Viewer viewer, Guid recordingId, CancellationToken cancellationToken) =>
        (await VisibleAsync(connection, transaction, viewer, [recordingId], cancellationToken)).Count == 1;
}
