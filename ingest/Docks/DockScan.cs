namespace Enforcement.Media.Ingest.Docks;

/// <summary>
/// One scan of a dock root. <paramref name="Ready"/>: stable files without a receipt, to deliver.
/// <paramref name="Receipted"/>: files still present whose receipt matches them, which a deletion
/// policy may release.
/// </summary>
public sealed record DockScan(IReadOnlyList<DockedFile> Ready, IReadOnlyList<DockedFile> Receipted);
