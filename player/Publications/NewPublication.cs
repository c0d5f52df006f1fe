namespace Enforcement.Media.Player.Publications;

/// <summary>The body of <c>POST /api/v1/redactions/{id}/publications</c>.</summary>
public sealed record NewPublication(string? Title, string? Body);

/// <summary>The body of <c>POST /api/v1/publications/{id}/decision</c>; <see cref="Days"/> how long it stays public when approved.</summary>
public sealed record PublicationDecision(bool? Approve, string? Reason, int? Days);

/// <summary>The body of <c>POST /api/v1/publications/{id}/withdrawal</c>.</summary>
public sealed record PublicationWithdrawal(string? Reason);
