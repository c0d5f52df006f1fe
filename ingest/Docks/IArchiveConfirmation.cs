using Enforcement.Media.Ingest.Receipts;

namespace Enforcement.Media.Ingest.Docks;

/// <summary>
/// The archive's side of a source release: does the archive really hold what a receipt on disk
/// says? <see cref="SourceRelease"/> asks this after it has checked the receipt itself. The central
/// worker asks its catalogue and reads the stored copy back (<see cref="CatalogueConfirmation"/>);
/// a station agent, which holds no database or store credentials, asks the ingest server
/// (<c>Agent/ServerReceiptConfirmation</c>).
/// </summary>
public interface IArchiveConfirmation
{
    Task<Confirmation> ConfirmAsync(Receipt receipt, string sourcePath, CancellationToken cancellationToken);
}
