using Enforcement.Media.Player.Accounts;

namespace Enforcement.Media.Player.Ledger;

/// <summary>
/// The role a viewing is counted under: the first of <see cref="All"/> its viewer holds. A user may hold
/// several roles, and the catalogue keeps a user's roles as they are now, not as they were at each viewing;
/// the most privileged watching role is the one that viewing could have been made in.
/// </summary>
public static class ViewerRole
{
    /// <summary>For a viewer who holds none of the watching roles any more.</summary>
    public const string Other = "other";

    public static readonly IReadOnlyList<string> All = [Roles.Supervisor, Roles.LegalReviewer, Roles.Reviewer, Roles.Publisher, Other];

    /// <summary>The role of the viewing's user, aliased <c>u</c>, as SQL.</summary>
    public const string Sql = $"""
        CASE WHEN '{Roles.Supervisor}' = ANY(u.roles) THEN '{Roles.Supervisor}'
             WHEN '{Roles.LegalReviewer}' = ANY(u.roles) THEN '{Roles.LegalReviewer}'
             WHEN '{Roles.Reviewer}' = ANY(u.roles) THEN '{Roles.Reviewer}'
             WHEN '{Roles.Publisher}' = ANY(u.roles) THEN '{Roles.Publisher}'
             ELSE '{Other}' END
        """;
}
