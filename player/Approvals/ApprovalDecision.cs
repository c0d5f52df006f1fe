namespace Enforcement.Media.Player.Approvals;

/// <summary>The body of <c>POST /api/v1/view-approvals/{id}/decision</c>.</summary>
public sealed record ApprovalDecision(bool? Approve, string? Reason);
