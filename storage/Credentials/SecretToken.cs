using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Enforcement.Media.Storage.Credentials;

/// <summary>
/// The one form of every secret credential the product issues: <c>&lt;prefix&gt;&lt;id&gt;_&lt;secret&gt;</c>
/// — the credential's id (32 hex digits) to find its row without scanning, and 32 random bytes (base64url)
/// as the secret. <see cref="StationKey"/> (<c>em_</c>) are the ingest API's station, device and case-system
/// keys; <see cref="UserToken"/> (<c>emu_</c>) the player's bearer tokens. The prefix tells a leaked
/// credential's kind at a glance (and to secret scanners).
/// </summary>
/// <remarks>
/// Only SHA-256(secret) is stored. A plain, fast hash is adequate here because the secret is 256 random
/// bits, not a password: there is no dictionary to try and brute force over 2^256 is out of reach, which
/// is what slow KDFs (PBKDF2, Argon2) exist to slow down. Fast also matters: every tus PATCH and every API
/// call authenticates. Comparison is constant-time all the same.
/// </remarks>
public sealed class SecretToken
{
    public static readonly SecretToken StationKey = new("em_");

    public static readonly SecretToken UserToken = new("emu_");

    private const int SecretBytes = 32;
    private const int IdChars = 32;
    private static readonly int SecretChars = Base64Url.GetEncodedLength(SecretBytes);

    private SecretToken(string prefix) => Prefix = prefix;

    public string Prefix { get; }

    /// <summary>A new credential for <paramref name="id"/>: its text (shown once, never stored) and the SHA-256 of its secret (stored).</summary>
    public (string Text, byte[] SecretSha256) Issue(Guid id)
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

    /// <summary>Splits a presented credential into its id and the SHA-256 of its secret; false when it is not of this form.</summary>
    public bool TryParse(string? text, out Guid id, [NotNullWhen(true)] out byte[]? secretSha256)
    {
        id = Guid.Empty;
        secretSha256 = null;
        var head = Prefix.Length + IdChars + 1;
        if (text is null || text.Length < head || !text.StartsWith(Prefix, StringComparison.Ordinal) || text[head - 1] != '_'
            || !Guid.TryParseExact(text.AsSpan(Prefix.Length, IdChars), "N", out id))
        {
            return false;
        }

        var encoded = text.AsSpan(head);
        Span<char> normalized = stackalloc char[SecretChars];
        if (encoded.Length == SecretChars)
        {
            encoded.CopyTo(normalized);
        }
        else if (encoded.Length == SecretChars + 1 && encoded[^1] == '=')
        {
            // User tokens issued before this form wrote padded base64 with '.' for '/' (a '_' would have
            // clashed with their separator); they stay valid until they expire.
            encoded[..SecretChars].CopyTo(normalized);
            normalized.Replace('.', '_');
        }
        else
        {
            return false;
        }

        Span<byte> secret = stackalloc byte[SecretBytes + 2];
        try
        {
            if (Base64Url.DecodeFromChars(normalized, secret, out _, out var written) != System.Buffers.OperationStatus.Done || written != SecretBytes)
            {
                return false;
            }

            secretSha256 = SHA256.HashData(secret[..SecretBytes]);
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    public static bool Matches(byte[] presentedSha256, byte[] storedSha256) =>
        CryptographicOperations.FixedTimeEquals(presentedSha256, storedSha256);
}
