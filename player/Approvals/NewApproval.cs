namespace Enforcement.Media.Player.Approvals;

/// <summary>The body of <c>POST /api/v1/recordings/{id}/view-approvals</c>.</summary>
public sealed record NewApproval(string? Reason);
