using Enforcement.Media.Storage.Hashing;
using Enforcement.Media.Storage.Objects;

namespace Enforcement.Media.Storage.Recordings;

/// <summary>
/// What the archive holds after a delivery: the receipt a station needs before it may wipe a file.
/// <paramref name="QuarantineReason"/> is set when the delivery's own hash claim did not match.
/// </summary>
public sealed record ArchivedRecording(
    Guid RecordingId,
    Guid SourceId,
    Sha256Digest Sha256,
    long Size,
    string Store,
    ObjectRef Location,
    DateTimeOffset StoredAt,
    ArchiveOutcome Outcome,
    string? QuarantineReason);
