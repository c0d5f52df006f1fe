using Enforcement.Media.Storage.Hashing;

namespace Enforcement.Media.Storage.Media;

/// <summary>
/// The provenance of one derivative, or of one attempt that failed: from which original, by which tool
/// and version, with exactly which arguments, when, and with what outcome. Rows are never changed.
/// </summary>
/// <param name="ErrorTail">Why it failed, or what the tool warned about when it succeeded.</param>
/// <param name="RedactionId">The redaction (or the publication's redaction) this output was made for.</param>
/// <param name="InputObjectId">The object it was made from when that was not the original (a publication copy is made from the redacted output); <see cref="InputSha256"/> is that object's.</param>
public sealed record Derivation(
    Guid Id,
    Guid RecordingId,
    DerivationRole Role,
    bool Succeeded,
    Guid? ObjectId,
    string Method,
    Sha256Digest InputSha256,
    Sha256Digest? OutputSha256,
    string Tool,
    string ToolVersion,
    IReadOnlyList<string> Arguments,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    string? ErrorTail,
    int? Width,
    int? Height,
    double? DurationSeconds,
    long? JobId,
    Guid? RedactionId = null,
    Guid? InputObjectId = null);
