using System.Security.Cryptography;
using Enforcement.Media.Storage.Audit.Verification;

namespace Enforcement.Media.Storage.Audit.Checkpoints;

/// <summary>The ECDSA P-256 private key that signs checkpoints (<c>Audit:SigningKeyPath</c>).</summary>
public sealed class AuditSigningKey : IDisposable
{
    private readonly ECDsa _key;

    private AuditSigningKey(ECDsa key)
    {
        _key = key;
        PublicKey = AuditPublicKey.FromPem(key.ExportPkcs8PrivateKeyPem());
    }

    public AuditPublicKey PublicKey { get; }

    public string KeyId => PublicKey.KeyId;

    /// <summary>Reads a PKCS#8 <c>PRIVATE KEY</c> or SEC1 <c>EC PRIVATE KEY</c> PEM block; refuses any curve but P-256.</summary>
    public static AuditSigningKey FromPem(string pem)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            AuditPublicKey.RequireP256(key);
            return new AuditSigningKey(key);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>A fresh key (for <c>ingest audit keygen</c> and tests).</summary>
    public static AuditSigningKey Generate() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>ASN.1 DER (RFC 3279) ECDSA signature with SHA-256: the form <c>openssl dgst -verify</c> checks.</summary>
    public byte[] Sign(ReadOnlySpan<byte> data) => _key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

    public string ExportPrivateKeyPem() => _key.ExportPkcs8PrivateKeyPem() + "\n";

    public void Dispose()
    {
        _key.Dispose();
        PublicKey.Dispose();
    }
}
