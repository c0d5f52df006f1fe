using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Enforcement.Media.Storage.Stations;

/// <summary>
/// The key format <c>em_&lt;id&gt;_&lt;secret&gt;</c>: the key's id (32 hex digits) to find its row
/// without scanning, and 32 random bytes (base64url) as the secret.
/// </summary>
/// <remarks>
/// Only SHA-256(secret) is stored. A plain, fast hash is adequate here because the secret is 256
/// random bits, not a password: there is no dictionary to try and brute force over 2^256 is out of
/// reach, which is what slow KDFs (PBKDF2, Argon2) exist to slow down. Fast also matters: every tus
/// PATCH authenticates. Comparison is constant-time all the same.
/// </remarks>
public static class ApiKeyToken
{
    public const string Prefix = "em_";

    private const int SecretBytes = 32;
    private const int IdChars = 32;
    private static readonly int SecretChars = Base64Url.GetEncodedLength(SecretBytes);
    private static readonly int TokenLength = Prefix.Length + IdChars + 1 + SecretChars;

    public static (string Token, byte[] SecretSha256) Issue(Guid id)
    {
        var secret = RandomNumberGenerator.GetBytes(SecretBytes);
        try
        {
            return ($"{Prefix}{id:N}_{Base64Url.EncodeToString(secret)}", SHA256.HashData(secret));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>Splits a presented token into the key id and the SHA-256 of its secret; false when it is not of this format.</summary>
    public static bool TryParse(string? token, out Guid id, [NotNullWhen(true)] out byte[]? secretSha256)
    {
        id = Guid.Empty;
        secretSha256 = null;
        if (token is null || token.Length != TokenLength || !token.StartsWith(Prefix, StringComparison.Ordinal) || token[Prefix.Length + IdChars] != '_')
        {
            return false;
        }

        if (!Guid.TryParseExact(token.AsSpan(Prefix.Length, IdChars), "N", out id))
        {
            return false;
        }

        Span<byte> secret = stackalloc byte[SecretBytes + 2];
        if (Base64Url.DecodeFromChars(token.AsSpan(Prefix.Length + IdChars + 1), secret, out _, out var written) != System.Buffers.OperationStatus.Done || written != SecretBytes)
        {
            return false;
        }

        secretSha256 = SHA256.HashData(secret[..SecretBytes]);
        CryptographicOperations.ZeroMemory(secret);
        return true;
    }

    public static bool Matches(byte[] presentedSha256, byte[] storedSha256) =>
        CryptographicOperations.FixedTimeEquals(presentedSha256, storedSha256);
}
