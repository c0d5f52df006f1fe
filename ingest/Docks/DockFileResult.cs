namespace Enforcement.Media.Ingest.Docks;

public enum DockFileResult
{
    /// <summary>Archived now and receipted.</summary>
    Delivered,

    /// <summary>Receipted on an earlier pass; only its release was (re)considered.</summary>
    AlreadyDelivered,

    /// <summary>The file changed while it was read: what was read is archived, but no receipt is written and the file is delivered again once stable.</summary>
    ChangedWhileRead,

    /// <summary>Something failed (store, catalogue, disk); nothing was receipted or deleted, and the file is tried again later.</summary>
    Failed,
}
