namespace Enforcement.Media.Ingest.Uploads;

/// <summary>
/// What became of a creation, and what the key had pending before it (the Upload-Length of its
/// uploads not yet archived), which a refusal over the key's limit reports.
/// </summary>
public sealed record CreateOutcome(CreateResult Result, long PendingBytes);
