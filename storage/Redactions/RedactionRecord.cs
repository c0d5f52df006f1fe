namespace Enforcement.Media.Storage.Redactions;

/// <summary>One redaction as the catalogue has it, with its output once rendered.</summary>
public sealed record RedactionRecord(
    Guid Id,
    Guid RecordingId,
    string State,
    string Reason,
    RedactionSpec Spec,
    Guid CreatedBy,
    string CreatedByActor,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? QueuedAt,
    DateTimeOffset? FinishedAt,
    string? Failure,
    RedactedOutput? Output);

/// <summary>The rendered output: the newest successful <c>redacted</c> derivation of the redaction.</summary>
public sealed record RedactedOutput(
    Guid DerivationId,
    Guid ObjectId,
    string Sha256,
    long Size,
    string? ContentType,
    int? Width,
    int? Height,
    double? DurationSeconds);
