using Enforcement.Media.Player.Accounts;
using Microsoft.AspNetCore.Authorization;

namespace Enforcement.Media.Player.Exports;

/// <summary>
/// Who may ask for an export: the reviewer-type roles. Deciding is <see cref="PlayerPolicies.Approve"/>
/// (supervisors), and never on one's own request. Admins and records managers do neither.
/// </summary>
public static class ExportPolicies
{
    public const string Request = "request-export";

    public static AuthorizationBuilder AddExportPolicies(this AuthorizationBuilder builder) =>
        builder.AddPolicy(Request, p => p.RequireRole(Roles.Reviewer, Roles.LegalReviewer, Roles.Supervisor));
}
