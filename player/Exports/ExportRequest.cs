namespace Enforcement.Media.Player.Exports;

/// <summary>An export request and everything that happened to it since: decision, package, download.</summary>
public sealed record ExportRequest(
    Guid Id,
    Guid RequestedBy,
    string RequestedByActor,
    DateTimeOffset RequestedAt,
    string Reason,
    string Recipient,
    string State,
    Guid? DecidedBy,
    string? DecidedByActor,
    DateTimeOffset? DecidedAt,
    string? DecisionReason,
    string? PackageSha256,
    long? PackageSize,
    string? ManifestSha256,
    DateTimeOffset? BuiltAt,
    string? Failure,
    DateTimeOffset? DownloadedAt,
    IReadOnlyList<ExportItem> Items)
{
    /// <summary>True while the requester may still take the package (once).</summary>
    public bool IsDownloadable => State == ExportState.Ready && DownloadedAt is null;
}
