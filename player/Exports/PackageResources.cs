namespace Enforcement.Media.Player.Exports;

/// <summary>The files every package carries as they are in <c>player/Exports/Package/</c> (embedded in the player): README, verify.sh, verify-chain.py.</summary>
public static class PackageResources
{
    public const string Readme = "README.txt";
    public const string VerifyScript = "verify.sh";
    public const string ChainVerifier = "verify-chain.py";

    public static byte[] Read(string name)
    {
        using var stream = typeof(PackageResources).Assembly.GetManifestResourceStream($"ExportPackage.{name}")
            ?? throw new InvalidOperationException($"The player was built without its export package file {name}.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
