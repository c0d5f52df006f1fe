namespace Enforcement.Media.Storage.Catalogue;

/// <summary>
/// An item handed to <see cref="GroupCommit{TItem}"/> is not on record: the writer stopped
/// (<see cref="Stopped"/>) or the write failed (the failure is the inner exception). What it was to record
/// must not happen.
/// </summary>
public sealed class GroupCommitException(bool stopped, Exception? inner = null)
    : Exception(stopped ? "The writer has stopped; nothing was committed." : "The write failed; nothing was committed.", inner)
{
    public bool Stopped { get; } = stopped;
}
