using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Enforcement.Media.Storage.Audit.Verification;

/// <summary>
/// A checkpoint object as stored (README, "Audit trail"): canonical UTF-8 JSON
/// <c>{"algorithm":"ECDSA-P256-SHA256","signature":"&lt;base64 DER&gt;","statement":"&lt;statement JSON as a string&gt;"}</c>.
/// The statement travels as a string so the signed bytes are exactly what the file holds — no
/// re-serialisation is needed to verify it, with this class or with openssl.
/// </summary>
public sealed record CheckpointDocument(CheckpointStatement Statement, string StatementJson, byte[] Signature)
{
    public const string Algorithm = "ECDSA-P256-SHA256";

    public byte[] ToBytes() => Encoding.UTF8.GetBytes(
        CanonicalJson.Serialize(new { algorithm = Algorithm, signature = Convert.ToBase64String(Signature), statement = StatementJson }));

    /// <summary>True when a trusted key with the statement's key id made this signature over the statement's bytes.</summary>
    public bool IsSignedBy(AuditPublicKey key) =>
        key.KeyId == Statement.KeyId && key.Verify(Encoding.UTF8.GetBytes(StatementJson), Signature);

    /// <summary>Reads a checkpoint object; throws <see cref="FormatException"/> for anything that is not one.</summary>
    public static CheckpointDocument Parse(ReadOnlySpan<byte> content)
    {
        try
        {
            using var envelope = JsonDocument.Parse(content.ToArray());
            var root = envelope.RootElement;
            var algorithm = Text(root, "algorithm");
            if (algorithm != Algorithm)
            {
                throw new FormatException($"algorithm is '{algorithm}', not {Algorithm}");
            }

            var signature = Convert.FromBase64String(Text(root, "signature"));
            var statementJson = Text(root, "statement");
            using var statement = JsonDocument.Parse(statementJson);
            var body = statement.RootElement;
            var format = Text(body, "format");
            if (format != CheckpointStatement.Format)
            {
                throw new FormatException($"format is '{format}', not {CheckpointStatement.Format}");
            }

            var seq = body.TryGetProperty("seq", out var seqElement) && seqElement.ValueKind == JsonValueKind.Number && seqElement.TryGetInt64(out var n) && n > 0
                ? n
                : throw new FormatException("seq is not a positive integer");
            var hash = Hex(body, "hash");
            var keyId = Hex(body, "keyId");
            return new CheckpointDocument(new CheckpointStatement(seq, hash, Text(body, "signedAt"), keyId), statementJson, signature);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"not JSON: {ex.Message}", ex);
        }
        catch (CryptographicException ex)
        {
            throw new FormatException(ex.Message, ex);
        }
    }

    private static string Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new FormatException($"'{name}' is missing or not a string");

    private static string Hex(JsonElement element, string name)
    {
        var text = Text(element, name);
        return text.Length == 64 && text.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f')
            ? text
            : throw new FormatException($"'{name}' is not 64 lowercase hex characters");
    }
}
