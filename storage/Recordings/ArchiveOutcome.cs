namespace Enforcement.Media.Storage.Recordings;

public enum ArchiveOutcome
{
    /// <summary>New content: stored, locked and catalogued.</summary>
    Stored,

    /// <summary>These exact bytes were already held: a source row was added, nothing stored twice.</summary>
    AlreadyHeld,
}
