using Enforcement.Media.Storage.Hashing;

namespace Enforcement.Media.Ingest.Uploads.Client;

/// <summary>
/// A finished upload: where it is, and the SHA-256 the client computed during its one read of the
/// file. The client may delete its copy only once the server's receipt shows the same SHA-256.
/// </summary>
public sealed record TusUpload(Uri Location, Sha256Digest Sha256, long Length);
