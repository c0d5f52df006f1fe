using Enforcement.Media.Player.Accounts;
using Microsoft.AspNetCore.Authorization;

namespace Enforcement.Media.Player.Approvals;

/// <summary>Who may set a recording's classification: supervisors (footage they may see) and records managers (any record).</summary>
public static class ApprovalPolicies
{
    public const string Classify = "classify";

    public static AuthorizationBuilder AddApprovalPolicies(this AuthorizationBuilder builder) =>
        builder.AddPolicy(Classify, p => p.RequireRole(Roles.Supervisor, Roles.RecordsManager));
}
