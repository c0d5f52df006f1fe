using Enforcement.Media.Storage.Hashing;
using Enforcement.Media.Storage.Media;
using Enforcement.Media.Storage.Objects;

namespace Enforcement.Media.Ingest.Media.Derivatives;

/// <summary>
/// The stored object ffmpeg reads for a job: the recording's original, or another object of the
/// recording (a publication copy is made from the redacted output). <see cref="Placeholder"/> is how
/// the provenance names it in place of the short-lived loopback address.
/// </summary>
/// <param name="ObjectId">Null for the original (its provenance names no input object).</param>
public sealed record MediaInput(Guid? ObjectId, ObjectRef Location, Sha256Digest Sha256, string Placeholder)
{
    public static MediaInput Original(RecordingOriginal original) => new(null, original.Location, original.Sha256, $"original:sha256:{original.Sha256.Hex}");

    /// <summary>A redacted output read to make its publication copy.</summary>
    public static MediaInput Redacted(Guid objectId, ObjectRef location, Sha256Digest sha256) => new(objectId, location, sha256, $"redacted:sha256:{sha256.Hex}");
}
