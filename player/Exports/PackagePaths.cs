using System.Text;

namespace Enforcement.Media.Player.Exports;

/// <summary>
/// Names inside a package. Every path is plain ASCII (letters, digits, '.', '_', '-', '/'), so
/// <c>sha256sum -c</c>, <c>unzip</c> and the shell script treat it the same everywhere; a recording's
/// own name, whatever it holds (Chinese, spaces, "../"), is data in the manifest, never a path.
/// </summary>
public static class PackagePaths
{
    public const string Manifest = "manifest.json";
    public const string Signature = "manifest.sig";
    public const string PublicKey = "agency-public-key.pem";
    public const string Checksums = "SHA256SUMS";

    private const int MaxNameLength = 80;

    public static string Folder(Guid exportId) => $"export-{exportId}";

    public static string Original(int ordinal, string sha256, string originalName) =>
        $"originals/{ordinal:D3}-{sha256[..12]}-{SafeName(originalName)}";

    /// <summary>The last segment of a name, reduced to safe ASCII, at most 80 characters, keeping its extension.</summary>
    public static string SafeName(string originalName)
    {
        var name = originalName.Replace('\\', '/');
        name = name[(name.LastIndexOf('/') + 1)..];
        var safe = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            safe.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_');
        }

        var text = safe.ToString().TrimStart('.', '-');
        if (text.Length > MaxNameLength)
        {
            var extension = Path.GetExtension(text);
            extension = extension.Length is > 0 and <= 10 ? extension : string.Empty;
            text = text[..(MaxNameLength - extension.Length)] + extension;
        }

        return text.Trim('_').Length == 0 ? "original" : text;
    }

    /// <summary>True for a path the verifier accepts: relative, safe characters only, no empty or dot segments.</summary>
    public static bool IsSafe(string path) =>
        path.Length is > 0 and <= 200
        && path.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '/')
        && path.Split('/').All(segment => segment.Length > 0 && segment != "." && segment != "..");
}
