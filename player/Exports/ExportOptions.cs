namespace Enforcement.Media.Player.Exports;

/// <summary>Configuration section <c>Export</c>: the agency key that signs packages, and limits.</summary>
public sealed class ExportOptions
{
    public const string Section = "Export";

    /// <summary>
    /// PEM file with the agency's ECDSA P-256 private key (PKCS#8 or SEC1, unencrypted) that signs every
    /// package's manifest; its public half travels in the package. Empty: exports can be neither requested
    /// nor built (there would be nothing a recipient could verify).
    /// </summary>
    public string SigningKeyPath { get; set; } = string.Empty;

    /// <summary>
    /// COMPLIANCE retention of each built package in the evidence store (days from building), so the
    /// exact bytes handed out stay provable. The lock is never shorter than the longest lock of the
    /// originals it contains.
    /// </summary>
    public int PackageRetentionDays { get; set; } = 3650;

    /// <summary>Most recordings one request may name.</summary>
    public int MaxRecordings { get; set; } = 100;
}
