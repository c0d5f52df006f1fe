namespace Enforcement.Media.Player.Approvals;

/// <summary>The body of <c>PUT /api/v1/recordings/{id}/classification</c>.</summary>
public sealed record NewClassification(string? Classification, string? Reason);
