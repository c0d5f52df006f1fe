using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Enforcement.Media.Ingest.Uploads;

/// <summary>
/// A PATCH's <c>Upload-Checksum: &lt;algorithm&gt; &lt;base64 digest&gt;</c> (tus checksum extension):
/// the chunk is kept only when the bytes received hash to it.
/// </summary>
public sealed record ChunkChecksum(HashAlgorithmName Algorithm, byte[] Expected)
{
    public static bool TryParse(string header, [NotNullWhen(true)] out ChunkChecksum? checksum, [NotNullWhen(false)] out string? problem)
    {
        checksum = null;
        var parts = header.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2)
        {
            problem = "Upload-Checksum must be '<algorithm> <base64 digest>', e.g. 'sha256 47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='.";
            return false;
        }

        (HashAlgorithmName Algorithm, int Size)? algorithm = parts[0].ToLowerInvariant() switch
        {
            "sha256" => (HashAlgorithmName.SHA256, SHA256.HashSizeInBytes),
            "sha1" => (HashAlgorithmName.SHA1, SHA1.HashSizeInBytes),
            _ => null,
        };
        if (algorithm is null)
        {
            problem = $"Upload-Checksum algorithm '{parts[0]}' is not supported; use one of {TusProtocol.ChecksumAlgorithms}.";
            return false;
        }

        var digest = new byte[algorithm.Value.Size + 3];
        if (!Convert.TryFromBase64String(parts[1], digest, out var written) || written != algorithm.Value.Size)
        {
            problem = $"Upload-Checksum: '{parts[1]}' is not a base64 {parts[0]} digest.";
            return false;
        }

        checksum = new ChunkChecksum(algorithm.Value.Algorithm, digest[..written]);
        problem = null;
        return true;
    }

    public IncrementalHash CreateHash() => IncrementalHash.CreateHash(Algorithm);
}
