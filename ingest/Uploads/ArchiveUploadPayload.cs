namespace Enforcement.Media.Ingest.Uploads;

/// <summary>The <c>archive-upload</c> job's payload.</summary>
public sealed record ArchiveUploadPayload(Guid UploadId);
