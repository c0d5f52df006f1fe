using Enforcement.Media.Storage.Hashing;

namespace Enforcement.Media.Ingest.Media.Derivatives;

/// <summary>
/// What a derivative was made for and from, beyond its recording: the redaction it renders (or whose
/// output it watermarks), and the stored object it was read from when that was not the original.
/// Written into its provenance row; null fields are the plain case (a rendition made from the original).
/// </summary>
/// <param name="InputSha256">The input object's SHA-256; the provenance's input is the original's when null.</param>
public sealed record DerivativeLineage(Guid? RedactionId, Guid? InputObjectId = null, Sha256Digest? InputSha256 = null)
{
    public static DerivativeLineage None { get; } = new(RedactionId: null);
}
