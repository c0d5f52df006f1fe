namespace Enforcement.Media.Player.Visibility;

/// <summary>
/// Which cases a user may see: those of the user's unit or any unit under it (the unit tree, all the way
/// down) and those assigned to the user. Case search and
/// the case page use it directly; <see cref="RecordingVisibility"/> builds on it, so a case and its
/// footage can never be seen by different people.
/// </summary>
public static class CaseVisibility
{
    /// <summary>
    /// A SQL condition on the case aliased <c>c</c>, with parameters <c>@viewerId</c> (uuid) and
    /// <c>@viewerUnit</c> (text, may be null: a user of no unit sees only cases assigned to them).
    /// </summary>
    public const string Predicate = """
        ((@viewerUnit::text IS NOT NULL
          AND (c.unit_code = @viewerUnit
               OR EXISTS (SELECT 1 FROM unit_ancestry cu WHERE cu.ancestor_code = @viewerUnit AND cu.descendant_code = c.unit_code)))
         OR EXISTS (SELECT 1 FROM case_assignments va WHERE va.case_id = c.id AND va.user_id = @viewerId))
        """;
}
