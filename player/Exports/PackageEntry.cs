namespace Enforcement.Media.Player.Exports;

/// <summary>One file written into a package: its path inside the package folder, its SHA-256 (hex) and size.</summary>
public sealed record PackageEntry(string Path, string Sha256, long Size);
