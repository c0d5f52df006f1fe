using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Enforcement.Media.Storage.Hashing;

/// <summary>
/// A SHA-256 digest: the identity of every original and the proof it is unchanged.
/// Always lowercase hex when written out (catalogue, receipts, manifests, logs).
/// </summary>
public readonly record struct Sha256Digest
{
    private readonly string? _hex;

    private Sha256Digest(string hex) => _hex = hex;

    public string Hex => _hex ?? throw new InvalidOperationException("An empty Sha256Digest has no value.");

    public static Sha256Digest FromBytes(ReadOnlySpan<byte> digest)
    {
        if (digest.Length != SHA256.HashSizeInBytes)
        {
            throw new ArgumentException($"A SHA-256 digest has {SHA256.HashSizeInBytes} bytes, not {digest.Length}.", nameof(digest));
        }

        return new Sha256Digest(Convert.ToHexStringLower(digest));
    }

    /// <summary>Accepts 64 hex characters (any case) or the 44-character base64 form S3 uses.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out Sha256Digest digest)
    {
        digest = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        if (text.Length == 64 && text.All(char.IsAsciiHexDigit))
        {
            digest = new Sha256Digest(text.ToLowerInvariant());
            return true;
        }

        Span<byte> bytes = stackalloc byte[SHA256.HashSizeInBytes + 3];
        if (text.Length == 44 && Convert.TryFromBase64String(text, bytes, out var written) && written == SHA256.HashSizeInBytes)
        {
            digest = FromBytes(bytes[..written]);
            return true;
        }

        return false;
    }

    public static Sha256Digest Parse(string text) =>
        TryParse(text, out var digest) ? digest : throw new FormatException("Not a SHA-256 digest (64 hex characters or 44 base64 characters).");

    public static Sha256Digest Of(ReadOnlySpan<byte> content) => FromBytes(SHA256.HashData(content));

    public byte[] ToBytes() => Convert.FromHexString(Hex);

    public string ToBase64() => Convert.ToBase64String(ToBytes());

    public override string ToString() => _hex ?? string.Empty;
}
