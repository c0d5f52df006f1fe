namespace Enforcement.Media.Player.Accounts;

/// <summary>The roles of the player (<c>users.roles</c>).</summary>
public static class Roles
{
    /// <summary>Finds cases and watches footage (with a reason).</summary>
    public const string Reviewer = "reviewer";

    /// <summary>A reviewer for 法制审核 who may also fetch originals.</summary>
    public const string LegalReviewer = "legal_reviewer";

    /// <summary>Approves viewings of classified footage and exports; reads the access ledger.</summary>
    public const string Supervisor = "supervisor";

    /// <summary>Manages retention, legal holds and disposition.</summary>
    public const string RecordsManager = "records_manager";

    /// <summary>
    /// The publication office (公示): asks for redacted footage to be published and withdraws it; sees
    /// redacted outputs of the footage it may see, never a rendition or an original.
    /// </summary>
    public const string Publisher = "publisher";

    /// <summary>Manages users, units, assignments and station keys — and nothing else.</summary>
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Reviewer, LegalReviewer, Supervisor, RecordsManager, Publisher, Admin];
}
