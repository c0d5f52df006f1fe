namespace Enforcement.Media.Player.Links;

/// <summary>
/// The body of <c>POST /api/v1/recordings/{id}/links</c>: the case by its number and, within it, the activity
/// by the id the case system gave it (<c>externalId</c> in the case API) — or a stage code, or neither for the
/// case alone — and the reason (事由), which is required.
/// </summary>
public sealed record NewLink(string? CaseNumber, string? ActivityId, string? Stage, string? Reason);

/// <summary>
/// The body of <c>DELETE /api/v1/recordings/{id}/links/{linkId}</c>: the reason, required. It travels in the
/// body, not the query string, so that it stays out of URLs and the logs that keep them.
/// </summary>
public sealed record Unlink(string? Reason);
