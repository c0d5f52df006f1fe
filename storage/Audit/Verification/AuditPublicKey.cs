using System.Security.Cryptography;

namespace Enforcement.Media.Storage.Audit.Verification;

/// <summary>
/// A public key that checkpoints are verified with: ECDSA on NIST P-256. Its id is the lowercase hex
/// SHA-256 of its DER <c>SubjectPublicKeyInfo</c> — what <c>openssl pkey -pubin -outform DER | sha256sum</c>
/// prints — so an outsider can tell which published key a checkpoint names.
/// </summary>
public sealed class AuditPublicKey : IDisposable
{
    private const string P256 = "1.2.840.10045.3.1.7";

    private readonly ECDsa _key;

    private AuditPublicKey(ECDsa key)
    {
        _key = key;
        var spki = key.ExportSubjectPublicKeyInfo();
        KeyId = Convert.ToHexStringLower(SHA256.HashData(spki));
        Pem = PemEncoding.WriteString("PUBLIC KEY", spki) + "\n";
    }

    public string KeyId { get; }

    /// <summary>The key as a <c>PUBLIC KEY</c> PEM block, to publish for verifiers.</summary>
    public string Pem { get; }

    /// <summary>Reads the public key out of a PEM block: a public key, or a private key (its public half is taken).</summary>
    public static AuditPublicKey FromPem(string pem)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            RequireP256(key);
            var publicOnly = ECDsa.Create();
            publicOnly.ImportSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo(), out _);
            return new AuditPublicKey(publicOnly);
        }
        finally
        {
            key.Dispose();
        }
    }

    /// <summary>Checks an ASN.1 DER (RFC 3279) ECDSA signature over <paramref name="data"/> with SHA-256.</summary>
    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> derSignature)
    {
        try
        {
            return _key.VerifyData(data, derSignature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            // A signature that is not even well-formed DER is simply not valid.
            return false;
        }
    }

    public void Dispose() => _key.Dispose();

    internal static void RequireP256(ECDsa key)
    {
        var curve = key.ExportParameters(false).Curve;
        if (curve.Oid.Value != P256 && curve.Oid.FriendlyName is not ("nistP256" or "ECDSA_P256" or "prime256v1" or "secp256r1"))
        {
            throw new CryptographicException($"The key is on curve {curve.Oid.FriendlyName ?? curve.Oid.Value}, not NIST P-256.");
        }
    }
}
