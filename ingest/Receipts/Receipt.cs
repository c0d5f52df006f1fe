using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Storage.Recordings;

namespace Enforcement.Media.Ingest.Receipts;

/// <summary>
/// Proof that the archive holds a file: what a docking station needs before it may wipe a
/// recorder. Written as JSON beside the source and served at <c>GET /api/v1/receipts/{sha256}</c>.
/// The SHA-256 is the one computed while the bytes streamed into the store and confirmed by it.
/// </summary>
/// <param name="Store">Which store holds it, as <see cref="PublicStoreName"/> says: <c>filesystem</c> or <c>s3://bucket</c>, never a server path.</param>
public sealed record Receipt(
    string Sha256,
    long Size,
    Guid RecordingId,
    string Store,
    string ObjectKey,
    string? VersionId,
    DateTimeOffset StoredAt,
    string Outcome,
    string? QuarantineReason)
{
    public static Receipt From(ArchivedRecording archived) => new(
        archived.Sha256.Hex,
        archived.Size,
        archived.RecordingId,
        PublicStoreName.Of(archived.Store),
        archived.Location.Key,
        archived.Location.VersionId,
        archived.StoredAt,
        archived.Outcome == ArchiveOutcome.Stored ? "stored" : "already-held",
        archived.QuarantineReason);

    public static Receipt From(HeldRecording held) => new(
        held.Sha256.Hex,
        held.Size,
        held.RecordingId,
        PublicStoreName.Of(held.Store),
        held.Location.Key,
        held.Location.VersionId,
        held.StoredAt,
        "stored",
        held.QuarantineReason);
}
