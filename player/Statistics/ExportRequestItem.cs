namespace Enforcement.Media.Player.Statistics;

/// <summary>An export request as <c>/statistics/rows</c> lists it, with how many recordings it names.</summary>
public sealed record ExportRequestItem(
    Guid ExportId,
    string RequestedBy,
    DateTimeOffset RequestedAt,
    string Reason,
    string Recipient,
    string State,
    string? DecidedBy,
    DateTimeOffset? DecidedAt,
    DateTimeOffset? DownloadedAt,
    long Recordings);
