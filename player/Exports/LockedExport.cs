namespace Enforcement.Media.Player.Exports;

/// <summary>The columns of an export request that a state change needs, read under <c>FOR UPDATE</c>.</summary>
public sealed record LockedExport(Guid Id, Guid RequestedBy, string State, DateTime? DownloadedAt, string? PackageSha256, long? PackageSize);
