namespace Enforcement.Media.Ingest.Docks;

/// <summary>
/// How the dock watcher gets one stable file into the archive and its receipt written beside it:
/// in the central worker straight through the archive (<see cref="DockArchiver"/>), on a station PC
/// through the field-upload API (<c>Agent/StationUploader</c>). Neither deletes anything; that is
/// <see cref="SourceRelease"/>'s decision, made afterwards from durable state.
/// </summary>
public interface IDockDelivery
{
    Task<DockFileOutcome> DeliverAsync(DockedFile file, CancellationToken cancellationToken);
}
