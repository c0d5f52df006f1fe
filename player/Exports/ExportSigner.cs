using System.Security.Cryptography;
using Enforcement.Media.Storage.Audit.Checkpoints;
using Enforcement.Media.Storage.Startup;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Player.Exports;

/// <summary>
/// The agency key that signs export manifests (<c>Export:SigningKeyPath</c>): ECDSA over NIST P-256 with
/// SHA-256, signatures in ASN.1 DER — exactly what <c>openssl dgst -sha256 -verify</c> checks. Loaded at
/// start-up; an unreadable or wrong-curve key stops the player naming the setting.
/// </summary>
public sealed class ExportSigner : IDisposable
{
    private readonly AuditSigningKey? _key;

    public ExportSigner(IOptions<ExportOptions> options)
    {
        var path = options.Value.SigningKeyPath;
        if (string.IsNullOrWhiteSpace(path))
        {
            return;
        }

        const string setting = $"{ExportOptions.Section}:SigningKeyPath";
        try
        {
            _key = AuditSigningKey.FromPem(File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StartupCheckException(setting, $"Cannot read the export signing key '{path}': {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            throw new StartupCheckException(setting, $"'{path}' is not an ECDSA P-256 private key in PEM form: {ex.Message}", ex);
        }
    }

    public bool IsConfigured => _key is not null;

    /// <summary>Lowercase hex SHA-256 of the public key's DER SubjectPublicKeyInfo (<c>openssl pkey -pubin -outform DER | sha256sum</c>).</summary>
    public string KeyId => Key.KeyId;

    /// <summary>The public key as a PEM block, shipped in every package as <c>agency-public-key.pem</c>.</summary>
    public string PublicKeyPem => Key.PublicKey.Pem;

    public byte[] Sign(ReadOnlySpan<byte> data) => Key.Sign(data);

    public void Dispose() => _key?.Dispose();

    private AuditSigningKey Key => _key ?? throw new InvalidOperationException($"No export signing key is configured ({ExportOptions.Section}:SigningKeyPath).");
}
