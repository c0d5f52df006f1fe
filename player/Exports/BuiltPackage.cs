namespace Enforcement.Media.Player.Exports;

/// <summary>What a package holds, as written: the SHA-256 of its signed manifest and every file in it (the manifest, signature and key aside).</summary>
public sealed record BuiltPackage(string ManifestSha256, IReadOnlyList<PackageEntry> Files);
