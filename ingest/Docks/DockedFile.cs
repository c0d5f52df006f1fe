namespace Enforcement.Media.Ingest.Docks;

/// <summary>
/// A file found under a dock root that has stopped changing and has no matching receipt: ready to
/// be delivered. Knows nothing of the archive, so a station agent can use the same scan.
/// </summary>
/// <param name="Root">The dock root it was found under, as configured.</param>
/// <param name="RelativePath">Path below the root with '/' separators, e.g. <c>bay03/DCIM/A123456_….mp4</c>.</param>
/// <param name="Bay">The root's subfolder it lies in (one per bay or recorder), or the root's own name for files directly in it.</param>
/// <param name="Signature">Size and mtime when it was found stable; the file must still match it when read and when released.</param>
public sealed record DockedFile(string Root, string RelativePath, string FullPath, string Bay, FileSignature Signature)
{
    public string Name => Path.GetFileName(FullPath);

    /// <summary>The root's own name (its last path segment): the docking station's identity.</summary>
    public string Station => RootName(Root);

    /// <summary>The audit actor of a dock delivery: the bay (or root) it was docked in.</summary>
    public string Actor => $"station:{Bay}";

    public static string RootName(string root) => Path.GetFileName(FullRoot(root));

    /// <summary>A root as an absolute path without a trailing separator, however it was configured.</summary>
    public static string FullRoot(string root) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
}
