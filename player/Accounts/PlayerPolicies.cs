using Microsoft.AspNetCore.Authorization;

namespace Enforcement.Media.Player.Accounts;

/// <summary>
/// Who may do what. Everything requires a signed-in user unless it says otherwise; each feature
/// names one of these policies. Least privilege: an admin manages people, not footage.
/// </summary>
public static class PlayerPolicies
{
    /// <summary>Find and read cases (not footage).</summary>
    public const string ReadCases = "read-cases";

    /// <summary>Watch footage (renditions), with a reason for each viewing.</summary>
    public const string Watch = "watch";

    /// <summary>Watch redacted outputs only: the publication office and everyone who may watch footage.</summary>
    public const string WatchRedacted = "watch-redacted";

    /// <summary>Ask for a redacted output to be published (公示), and withdraw it.</summary>
    public const string Publish = "publish";

    /// <summary>
    /// Link footage to a case activity by hand, and remove a link, each with a reason: the reviewers who watch
    /// it. A link decides who sees the footage and that it is kept as evidence, so it is a reviewing decision;
    /// records managers read links and keep retention, which follows them.
    /// </summary>
    public const string LinkRecordings = "link-recordings";

    /// <summary>Fetch byte-exact originals.</summary>
    public const string ReadOriginals = "read-originals";

    /// <summary>Approve or deny viewings of classified footage and exports.</summary>
    public const string Approve = "approve";

    /// <summary>Read the access ledger (调阅台账).</summary>
    public const string ReadLedger = "read-ledger";

    /// <summary>Retention, legal holds, disposition.</summary>
    public const string ManageRetention = "manage-retention";

    /// <summary>
    /// Read the recorder register (执法记录仪台账) of one's unit tree: everyone who reads cases, since whether
    /// footage came from a registered recorder in the hands of the officer it names is part of reviewing it.
    /// </summary>
    public const string ReadRecorders = "read-recorders";

    /// <summary>
    /// Keep the recorder register of one's unit tree — register, change, hand over, import: the supervisors
    /// who answer for how recorders are used and the records managers who keep the agency's registers.
    /// </summary>
    public const string ManageRecorders = "manage-recorders";

    /// <summary>
    /// Read the integrity of the evidence: fixity findings, quarantined deliveries, the last verification of the
    /// audit trail. The supervisors, who answer for the evidence of their units (there is no auditor role).
    /// </summary>
    public const string ReadIntegrity = "read-integrity";

    /// <summary>
    /// Read the statistics (统计分析) of one's unit tree: supervisors and the legal office (法制, the legal
    /// reviewers), who answer for how footage is recorded, docked and kept. What people watched, asked for and
    /// handed out is shown only to those who may also read the ledger (<see cref="ReadLedger"/>).
    /// </summary>
    public const string ReadStatistics = "read-statistics";

    /// <summary>Users, units, assignments, station keys.</summary>
    public const string Administer = "administer";

    public static AuthorizationBuilder AddPlayerPolicies(this AuthorizationBuilder builder) => builder
        .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
        .AddPolicy(ReadCases, p => p.RequireRole(Roles.Reviewer, Roles.LegalReviewer, Roles.Supervisor, Roles.RecordsManager))
        .AddPolicy(Watch, p => p.RequireRole(Roles.Reviewer, Roles.LegalReviewer, Roles.Supervisor))
        .AddPolicy(WatchRedacted, p => p.RequireRole(Roles.Reviewer, Roles.LegalReviewer, Roles.Supervisor, Roles.Publisher))
        .AddPolicy(Publish, p => p.RequireRole(Roles.Reviewer, Roles.LegalReviewer, Roles.Supervisor, Roles.Publisher))
        .AddPolicy(LinkRecordings, p => p.RequireRole(Roles.Reviewer, Roles.LegalReviewer, Roles.Supervisor))
        .AddPolicy(ReadOriginals, p => p.RequireRole(Roles.LegalReviewer, Roles.Supervisor))
        .AddPolicy(Approve, p => p.RequireRole(Roles.Supervisor))
        .AddPolicy(ReadLedger, p => p.RequireRole(Roles.Supervisor))
        .AddPolicy(ManageRetention, p => p.RequireRole(Roles.RecordsManager))
        .AddPolicy(ReadRecorders, p => p.RequireRole(Roles.Reviewer, Roles.LegalReviewer, Roles.Supervisor, Roles.RecordsManager))
        .AddPolicy(ManageRecorders, p => p.RequireRole(Roles.Supervisor, Roles.RecordsManager))
        .AddPolicy(ReadIntegrity, p => p.RequireRole(Roles.Supervisor))
        .AddPolicy(ReadStatistics, p => p.RequireRole(Roles.LegalReviewer, Roles.Supervisor))
        .AddPolicy(Administer, p => p.RequireRole(Roles.Admin));
}
