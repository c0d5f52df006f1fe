using Enforcement.Media.Ingest.Receipts;
using Enforcement.Media.Storage.Recordings;

namespace Enforcement.Media.Ingest.Docks;

/// <summary>What one pass did with one docked file.</summary>
/// <param name="Archived">What the central archive stored (central mode); a station agent has <paramref name="Receipt"/> instead.</param>
/// <param name="Release">Null when the release was not reached (or failed: see <paramref name="Failure"/>).</param>
public sealed record DockFileOutcome(
    DockedFile File,
    DockFileResult Result,
    ArchivedRecording? Archived = null,
    string? ReceiptPath = null,
    ReleaseDecision? Release = null,
    string? Failure = null,
    Receipt? Receipt = null);
