using System.Security.Cryptography;
using Enforcement.Media.Storage.Audit.Verification;
using Enforcement.Media.Storage.Startup;

namespace Enforcement.Media.Storage.Audit.Checkpoints;

/// <summary>
/// The keys of this process: the signing key (when configured) and every public key whose checkpoints
/// verify — the signing key's own and <c>Audit:TrustedKeyPaths</c>. Loaded once at start-up; an
/// unreadable or wrong-curve key stops the process with the setting to fix.
/// </summary>
public sealed class AuditKeyring : IDisposable
{
    private AuditKeyring(AuditSigningKey? signingKey, IReadOnlyList<AuditPublicKey> trustedKeys)
    {
        SigningKey = signingKey;
        TrustedKeys = trustedKeys;
    }

    public AuditSigningKey? SigningKey { get; }

    public IReadOnlyList<AuditPublicKey> TrustedKeys { get; }

    public static AuditKeyring Load(AuditOptions options)
    {
        AuditSigningKey? signingKey = null;
        var trusted = new List<AuditPublicKey>();
        try
        {
            if (!string.IsNullOrWhiteSpace(options.SigningKeyPath))
            {
                signingKey = Load(options.SigningKeyPath, $"{AuditOptions.Section}:SigningKeyPath", AuditSigningKey.FromPem);
                trusted.Add(AuditPublicKey.FromPem(signingKey.PublicKey.Pem));
            }

            for (var i = 0; i < options.TrustedKeyPaths.Length; i++)
            {
                trusted.Add(Load(options.TrustedKeyPaths[i], $"{AuditOptions.Section}:TrustedKeyPaths:{i}", AuditPublicKey.FromPem));
            }

            return new AuditKeyring(signingKey, [.. trusted.DistinctBy(k => k.KeyId)]);
        }
        catch
        {
            signingKey?.Dispose();
            trusted.ForEach(k => k.Dispose());
            throw;
        }
    }

    /// <summary>A keyring over keys already in hand (commands given <c>--public-key</c>, tests).</summary>
    public static AuditKeyring Of(AuditSigningKey? signingKey, params AuditPublicKey[] trustedKeys) =>
        new(signingKey, [.. (signingKey is null ? trustedKeys : [signingKey.PublicKey, .. trustedKeys]).DistinctBy(k => k.KeyId)]);

    public void Dispose()
    {
        SigningKey?.Dispose();
        foreach (var key in TrustedKeys)
        {
            key.Dispose();
        }
    }

    private static T Load<T>(string path, string setting, Func<string, T> parse)
    {
        try
        {
            return parse(File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StartupCheckException(setting, $"Cannot read the audit key file '{path}': {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            throw new StartupCheckException(setting, $"'{path}' is not an ECDSA P-256 key in PEM form: {ex.Message}", ex);
        }
    }
}
