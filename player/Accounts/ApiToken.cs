using System.Security.Cryptography;

namespace Enforcement.Media.Player.Accounts;

/// <summary>
/// A bearer token for API clients: <c>emu_&lt;token id&gt;_&lt;secret&gt;</c>. The secret is 32 random
/// bytes, so a plain SHA-256 of it is a sufficient stored form (no password stretching is needed
/// for high-entropy secrets); it is compared in constant time.
/// </summary>
public sealed record ApiToken(Guid Id, byte[] Secret)
{
    private const string Prefix = "emu_";

    public static ApiToken New() => new(Guid.CreateVersion7(), RandomNumberGenerator.GetBytes(32));

    public static bool TryParse(string? text, out ApiToken token)
    {
        token = null!;
        var parts = text?.Split('_');
        if (parts is not { Length: 3 } || parts[0] + "_" != Prefix || !Guid.TryParseExact(parts[1], "N", out var id))
        {
            return false;
        }

        try
        {
            var secret = Convert.FromBase64String(parts[2].Replace('-', '+').Replace('.', '/'));
            if (secret.Length != 32)
            {
                return false;
            }

            token = new ApiToken(id, secret);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public byte[] SecretHash => SHA256.HashData(Secret);

    public bool Matches(byte[] storedHash) => CryptographicOperations.FixedTimeEquals(SecretHash, storedHash);

    public override string ToString() => $"{Prefix}{Id:N}_{Convert.ToBase64String(Secret).Replace('+', '-').Replace('/', '.')}";
}
