namespace Enforcement.Media.Player.Exports;

/// <summary>The body of <c>POST /api/v1/exports</c>: recording ids, why, and for whom.</summary>
public sealed record NewExport(IReadOnlyList<string>? Recordings, string? Reason, string? Recipient);
