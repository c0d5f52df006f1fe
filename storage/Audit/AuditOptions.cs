namespace Enforcement.Media.Storage.Audit;

/// <summary>Configuration section <c>Audit</c>: checkpoint signing and the keys verifiers trust.</summary>
public sealed class AuditOptions
{
    public const string Section = "Audit";

    /// <summary>
    /// PEM file with the ECDSA P-256 private key that signs checkpoints (PKCS#8 <c>PRIVATE KEY</c> or
    /// SEC1 <c>EC PRIVATE KEY</c>, unencrypted). Empty: this process writes no checkpoints.
    /// </summary>
    public string SigningKeyPath { get; set; } = string.Empty;

    /// <summary>
    /// PEM files of further public keys whose checkpoints verify (keys used before a rotation). The
    /// signing key's own public half is always trusted.
    /// </summary>
    public string[] TrustedKeyPaths { get; set; } = [];

    /// <summary>Sign a checkpoint once this many events have been chained since the last one.</summary>
    public int CheckpointEvery { get; set; } = 10_000;

    /// <summary>…or once the oldest event not covered by a checkpoint is this old.</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>COMPLIANCE retention of each checkpoint object in the evidence store.</summary>
    public int CheckpointRetentionDays { get; set; } = 30 * 365;
}
