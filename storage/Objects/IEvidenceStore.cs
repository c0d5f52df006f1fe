namespace Enforcement.Media.Storage.Objects;

/// <summary>
/// The write-once evidence store: one seam, two implementations (<c>S3</c> with Object Lock in
/// COMPLIANCE mode, and the embedded filesystem store). Nothing here can overwrite, shorten a lock,
/// or delete a locked object; the S3 implementation relies on the server to refuse, the filesystem
/// one refuses itself.
/// </summary>
/// <remarks>
/// Writing is two-phase because an original's SHA-256 — its identity — is only known after its last
/// byte has streamed through: <see cref="WriteAsync"/> stores and hashes in one read, then the caller
/// either <see cref="SealAsync">seals</see> the pending object (locks it) or
/// <see cref="DiscardAsync">discards</see> it when the catalogue already holds the same content.
/// </remarks>
public interface IEvidenceStore
{
    /// <summary>Recorded with every object, e.g. <c>s3://evidence</c> or <c>file:///srv/evidence</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Checks the store is reachable and can guarantee immutability (creating the Object Lock bucket
    /// when allowed). Throws <see cref="Startup.StartupCheckException"/> naming the setting to fix.
    /// </summary>
    Task EnsureReadyAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Streams <paramref name="content"/> into the store, computing its SHA-256 on the way, and returns
    /// once the bytes are durable and the store has confirmed them. The object is not locked yet.
    /// </summary>
    Task<PendingObject> WriteAsync(ObjectWrite write, Stream content, IProgress<long>? progress, CancellationToken cancellationToken);

    /// <summary>
    /// Locks a pending object in COMPLIANCE mode and reads the retention back to prove it. Sealing an
    /// object that is already locked (a retry after a crash) succeeds and keeps the later date.
    /// </summary>
    Task<SealedObject> SealAsync(PendingObject pending, ObjectLock objectLock, CancellationToken cancellationToken);

    /// <summary>Removes a pending (never sealed) object. A no-op when it is already gone.</summary>
    Task DiscardAsync(PendingObject pending, CancellationToken cancellationToken);

    /// <summary>
    /// Removes whatever an interrupted write with this id left behind (unfinished multipart uploads,
    /// unlocked partial objects, staging files). Locked objects are never touched.
    /// </summary>
    Task AbandonAsync(ObjectWrite write, CancellationToken cancellationToken);

    /// <summary>Null when the object does not exist.</summary>
    Task<ObjectHead?> HeadAsync(ObjectRef location, CancellationToken cancellationToken);

    /// <summary>Opens the object (or one inclusive byte range of it) for streaming; never buffers it whole.</summary>
    Task<Stream> OpenReadAsync(ObjectRef location, ByteRange? range, CancellationToken cancellationToken);

    Task<ObjectRetention> GetRetentionAsync(ObjectRef location, CancellationToken cancellationToken);

    /// <summary>
    /// Every stored version of every object of this kind, locked or not (an object between
    /// <see cref="WriteAsync"/> and <see cref="SealAsync"/> shows up too; staging never does). Callers
    /// that want only evidence check <see cref="GetRetentionAsync"/>. The audit verifier lists
    /// checkpoints this way, so deleting catalogue rows cannot hide one.
    /// </summary>
    IAsyncEnumerable<ObjectRef> ListAsync(ObjectKind kind, CancellationToken cancellationToken);

    /// <summary>
    /// Makes the retain-until date at least <paramref name="retainUntil"/>. Never shortens: an earlier
    /// date than the current one leaves the object as it is. Returns the retention read back.
    /// </summary>
    Task<ObjectRetention> ExtendRetentionAsync(ObjectRef location, DateTimeOffset retainUntil, CancellationToken cancellationToken);

    Task<ObjectRetention> SetLegalHoldAsync(ObjectRef location, bool enabled, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes one object version. Throws <see cref="ObjectLockedException"/> while it is under
    /// retention or legal hold: only disposition after the period calls this.
    /// </summary>
    Task DeleteAsync(ObjectRef location, CancellationToken cancellationToken);
}
