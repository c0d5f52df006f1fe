using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Enforcement.Media.Storage.Alerts;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Hashing;
using Enforcement.Media.Storage.Jobs;
using Enforcement.Media.Storage.Media;
using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Storage.Recorders;
using Enforcement.Media.Storage.Retention;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Enforcement.Media.Storage.Recordings;

/// <summary>
/// Turns a delivered file into a catalogued, write-once original — the one path every source
/// (dock, station, upload, command) goes through:
/// <list type="number">
/// <item>record the write as pending (so a crash is found again);</item>
/// <item>stream it into the store, SHA-256 computed on the way (one read);</item>
/// <item>under a per-content lock: if the catalogue already holds these bytes, add a source row and
/// discard the copy; otherwise mark the write 'sealing' (committed on its own), seal it (COMPLIANCE
/// lock, read back) and commit object, recording, source, probe job and audit event in one
/// transaction. A 'sealing' row left by a process that died is adopted by the next writer of the
/// same content (or by recovery): a copy that may be locked is never written again nor discarded.</item>
/// </list>
/// Nothing here ever deletes or changes a source file.
/// </summary>
public sealed partial class RecordingArchive(
    NpgsqlDataSource dataSource,
    IEvidenceStore store,
    PendingWriteStore pendingWrites,
    AuditTrail audit,
    RetentionPolicy retention,
    TimeProvider time,
    ILogger<RecordingArchive> logger,
    IOptions<EvidenceStoreOptions>? options = null,
    ArchiveMetrics? metrics = null)
{
    public const string ProbeJob = JobKinds.Probe;

    /// <summary>Who the audit trail names for what recovery does on a dead process's behalf.</summary>
    public const string RecoveryActor = "system:recovery";

    private static readonly string Owner = $"{Environment.MachineName}/{Environment.ProcessId}";

    /// <summary>A span per delivery, so the store's and the catalogue's requests of one file trace together.</summary>
    private static readonly ActivitySource Tracing = new(ArchiveMetrics.MeterName);

    private readonly TimeSpan _lease = (options?.Value ?? new EvidenceStoreOptions()).PendingWriteLease;

    public async Task<ArchivedRecording> ArchiveAsync(Stream content, Delivery delivery, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        using var activity = Tracing.StartActivity("archive");
        activity?.SetTag("enforcement_media.source", delivery.Kind.ToString().ToLowerInvariant());
        try
        {
            var archived = await StoreAsync(content, delivery, progress, cancellationToken);
            metrics?.Archived(delivery.Kind, archived);
            activity?.SetTag("enforcement_media.recording.id", archived.RecordingId.ToString());
            activity?.SetTag("enforcement_media.sha256", archived.Sha256.Hex);
            activity?.SetTag("enforcement_media.outcome", archived.Outcome.ToString());
            return archived;
        }
        catch (Exception ex)
        {
            // A delivery cut short by the caller (shutdown, Ctrl-C) did not fail: its source is delivered again.
            if (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                metrics?.Failure(delivery.Kind);
                activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            }

            throw;
        }
    }

    private async Task<ArchivedRecording> StoreAsync(Stream content, Delivery delivery, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var write = ObjectWrite.New(ObjectKind.Original, delivery.ContentType);
        await pendingWrites.BeginAsync(write, store.Name, delivery, Owner, _lease, cancellationToken);

        PendingObject pending;
        byte[]? md5 = null;
        using (var renewal = new LeaseRenewal(pendingWrites, write.WriteId, Owner, _lease))
        {
            try
            {
                if (delivery.ClaimedMd5 is null)
                {
                    pending = await store.WriteAsync(write, content, progress, cancellationToken);
                }
                else
                {
                    await using var hashing = new HashingReadStream(content, HashAlgorithmName.MD5);
                    pending = await store.WriteAsync(write, hashing, progress, cancellationToken);
                    md5 = hashing.GetHash();
                }
            }
            catch (EvidenceStoreTimeoutException)
            {
                // The store could not clean up: a server that stopped answering may still complete a
                // request it took, and the abort of a multipart upload got no answer either. The row
                // stays, its lease lapses, and recovery abandons the write (removing whatever of it the
                // server kept) once the server answers. The source is untouched and will be delivered again.
                throw;
            }
            catch
            {
                // The store removed its partial write; the source is untouched and will be delivered again.
                await pendingWrites.DeleteAsync(write.WriteId, CancellationToken.None);
                throw;
            }

            await pendingWrites.MarkWrittenAsync(pending, md5, cancellationToken);

            // Still under the lease: recovery must not take the write over while this process catalogues it.
            // If this process stalled past its lease, recovery elsewhere may have finished the write with
            // this very delivery: its source row is then this delivery's receipt. Null only when no such
            // row exists (the recording is gone): failing makes the untouched source deliver again.
            // Not cancellable from here: an interrupt now would leave bytes stored but the caller told
            // "not done" (and a second source row when it delivers again). Cataloguing takes moments.
            return await CatalogueAsync(pending, delivery, ClaimCheck.Of(delivery, pending.Sha256, md5), CancellationToken.None)
                ?? throw new InvalidOperationException($"Write {write.WriteId} of {delivery.OriginalName} was finished by another process after this one lost its lease, and no receipt for it was found; deliver it again.");
        }
    }

    /// <summary>
    /// Finishes or removes writes whose process died: unfinished ones are abandoned (their source
    /// still holds the bytes and no receipt was given), fully written ones are catalogued.
    /// </summary>
    public async Task<int> RecoverAbandonedAsync(CancellationToken cancellationToken)
    {
        var recovered = 0;
        foreach (var abandoned in await pendingWrites.ClaimAbandonedAsync(Owner, _lease, 50, cancellationToken))
        {
            if (abandoned.Store != store.Name)
            {
                LogOtherStore(abandoned.Write.WriteId, abandoned.Store);
                continue;
            }

            try
            {
                await RecoverAsync(abandoned, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One write that cannot be finished now (store down, say) must not hold up the others;
                // its lease runs out again and a later pass retries it.
                LogRecoveryFailed(ex, abandoned.Write.WriteId, abandoned.State, abandoned.Delivery.OriginalName);
                continue;
            }

            LogRecovered(abandoned.Write.WriteId, abandoned.State, abandoned.Delivery.OriginalName);
            recovered++;
        }

        return recovered;
    }

    private async Task RecoverAsync(AbandonedWrite abandoned, CancellationToken cancellationToken)
    {
        if (abandoned.Write.Kind != ObjectKind.Original && abandoned.Written is { } derivative && abandoned.State == "sealing")
        {
            await KeepDerivativeAsync(abandoned, derivative, cancellationToken);
        }
        else if (abandoned.Write.Kind != ObjectKind.Original && abandoned.Written is { } unsealed)
        {
            // A derivative never locked ('written') or being discarded: it can be made again from its original.
            await DiscardAsync(unsealed, cancellationToken);
        }
        else if (abandoned.Written is { } written && abandoned.State is "written" or "sealing")
        {
            // A 'sealing' copy may be locked already; cataloguing it (again) is the only way forward.
            await CatalogueAsync(written, abandoned.Delivery, ClaimCheck.Of(abandoned.Delivery, written.Sha256, abandoned.Md5), cancellationToken);
        }
        else if (abandoned.Written is { } discarding && abandoned.State == "discarding")
        {
            await DiscardAsync(discarding, cancellationToken);
        }
        else
        {
            await store.AbandonAsync(abandoned.Write, cancellationToken);
            await pendingWrites.DeleteAsync(abandoned.Write.WriteId, cancellationToken);
        }
    }

    /// <summary>
    /// A derivative whose process died between locking it and cataloguing it. The job that makes it runs
    /// again and records a complete derivation; this copy, which may be locked for years, is catalogued as
    /// an object of its recording (no derivation row, so never served as the current rendition), kept,
    /// counted and disposed of with the recording rather than left unknown in the store.
    /// </summary>
    private async Task KeepDerivativeAsync(AbandonedWrite abandoned, PendingObject derivative, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var original = abandoned.Delivery.DerivativeOf is { } id ? await RecordingStore.OriginalLockAsync(connection, id, cancellationToken) : null;
        if (original is null)
        {
            // Its recording is gone (or unknown): nothing to keep it for. S3 refuses to delete a copy already
            // locked (the row stays for a later pass); on the filesystem store only the unsealed staging file
            // is removed, and a copy already sealed stays until its lock ends — the one case left unknown.
            await DiscardAsync(derivative, cancellationToken);
            return;
        }

        // Sealing again keeps a later lock already on it, and locks it at least as long as its original if none is.
        var floor = time.GetUtcNow().AddDays(1);
        var sealedObject = await store.SealAsync(derivative, new ObjectLock(original.RetainUntil > floor ? original.RetainUntil : floor, original.LegalHold), cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var now = time.GetUtcNow();

        // A content-addressed store keeps one copy of identical bytes: the job run again (or another
        // recording's identical thumbnail) may have catalogued this very object already.
        var catalogued = await DerivationStore.FindObjectAsync(connection, transaction, store.Name, sealedObject.Location, cancellationToken) is not null;
        if (!catalogued)
        {
            await RecordingStore.InsertObjectAsync(connection, transaction, store.Name, sealedObject, derivative.Write.Kind, derivative.Write.ContentType, original.RecordingId, now, cancellationToken);
        }

        await audit.AppendAsync(
            connection,
            transaction,
            new AuditEntry(RecoveryActor, "recording.derivative-kept", "recording", original.RecordingId.ToString(), new
            {
                kind = derivative.Write.Kind.ToName(),
                made = abandoned.Delivery.OriginalName,
                sha256 = sealedObject.Sha256.Hex,
                size = sealedObject.Size,
                objectKey = sealedObject.Location.Key,
                versionId = sealedObject.Location.VersionId,
                alreadyCatalogued = catalogued,
                why = "its process died between locking it and cataloguing it; kept with the recording, not used as its derivative",
            }),
            cancellationToken);
        await PendingWriteStore.DeleteAsync(connection, transaction, abandoned.Write.WriteId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogDerivativeKept(original.RecordingId, abandoned.Write.WriteId, sealedObject.Location);
    }

    /// <returns>Null when another process finished this write first and its delivery has no source row.</returns>
    private async Task<ArchivedRecording?> CatalogueAsync(PendingObject pending, Delivery delivery, ClaimCheck claim, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await RecordingStore.LockContentAsync(connection, transaction, pending.Sha256, cancellationToken);
        var now = time.GetUtcNow();

        var held = await RecordingStore.FindBySha256Async(connection, transaction, pending.Sha256, cancellationToken);
        var state = await PendingWriteStore.StateAsync(connection, transaction, pending.Write.WriteId, cancellationToken);
        if (state is not ("written" or "sealing"))
        {
            // Another process finished this very write (recovery took it over, or a redelivery adopted
            // it; the row is gone or already 'discarding') and recorded this delivery as a source:
            // adding a source row again would count one delivery twice.
            LogFinishedElsewhere(pending.Write.WriteId, pending.Sha256.Hex, held?.RecordingId);
            var finished = await RecordingStore.FindSourceOfWriteAsync(connection, transaction, pending.Write.WriteId, cancellationToken);
            if (finished is null || held is null || held.RecordingId != finished.RecordingId)
            {
                return null;
            }

            var outcome = finished.First ? ArchiveOutcome.Stored : ArchiveOutcome.AlreadyHeld;
            return new ArchivedRecording(held.RecordingId, finished.SourceId, held.Sha256, held.Size, held.Store, held.Location, held.StoredAt, outcome, claim.Mismatch);
        }

        if (held is not null)
        {
            var sourceId = await RecordingStore.InsertSourceAsync(connection, transaction, held.RecordingId, pending.Write.WriteId, delivery, claim.Verified, now, cancellationToken);
            await audit.AppendAsync(connection, transaction, AuditOf("recording.delivered-again", held.RecordingId, pending, delivery, claim), cancellationToken);
            await RaiseAlertsAsync(connection, transaction, held.RecordingId, pending, delivery, claim, now, cancellationToken);
            await PendingWriteStore.MarkDiscardingAsync(connection, transaction, pending.Write.WriteId, cancellationToken);
            await transaction.CommitAsync(cancellationToken);

            await DiscardAsync(pending, cancellationToken);
            LogAlreadyHeld(held.RecordingId, pending.Sha256.Hex, delivery.OriginalName);
            return new ArchivedRecording(held.RecordingId, sourceId, held.Sha256, held.Size, held.Store, held.Location, held.StoredAt, ArchiveOutcome.AlreadyHeld, claim.Mismatch);
        }

        // A process that died while sealing the same content left a copy that may be locked already:
        // that copy becomes the recording's object, and this one (never locked) is discarded.
        var adopted = await PendingWriteStore.FindSealingAsync(connection, transaction, pending.Sha256, store.Name, pending.Write.WriteId, cancellationToken) is { Written: not null } sealing
            ? sealing
            : null;
        var keep = adopted?.Written ?? pending;
        if (adopted is null && state != "sealing")
        {
            await pendingWrites.MarkSealingAsync(pending.Write.WriteId, cancellationToken);
        }

        var sealedObject = await store.SealAsync(keep, new ObjectLock(retention.InitialRetainUntil(delivery.RecorderStartedAt)), cancellationToken);
        var recordingId = Guid.CreateVersion7(now);
        var objectId = await RecordingStore.InsertObjectAsync(connection, transaction, store.Name, sealedObject, ObjectKind.Original, delivery.ContentType, null, now, cancellationToken);
        await RecordingStore.InsertRecordingAsync(connection, transaction, recordingId, sealedObject, objectId, delivery, claim.Mismatch, now, cancellationToken);
        var newSourceId = await RecordingStore.InsertSourceAsync(connection, transaction, recordingId, pending.Write.WriteId, delivery, claim.Verified, now, cancellationToken);
        await JobQueue.EnqueueAsync(connection, transaction, new JobRequest(ProbeJob, recordingId), cancellationToken);
        await audit.AppendAsync(connection, transaction, AuditOf(claim.Mismatch is null ? "recording.ingested" : "recording.quarantined", recordingId, pending, delivery, claim), cancellationToken);
        await RaiseAlertsAsync(connection, transaction, recordingId, pending, delivery, claim, now, cancellationToken);
        if (adopted is not null && !SameArrival(adopted.Delivery, delivery))
        {
            // The dead writer's delivery brought the very bytes kept: it stays in the provenance (unless it
            // is this very file again, resent because the dead writer gave no receipt: one source row).
            var adoptedClaim = ClaimCheck.Of(adopted.Delivery, keep.Sha256, adopted.Md5);
            await RecordingStore.InsertSourceAsync(connection, transaction, recordingId, adopted.Write.WriteId, adopted.Delivery, adoptedClaim.Verified, now, cancellationToken);
            await audit.AppendAsync(connection, transaction, AuditOf("recording.delivered-again", recordingId, keep, adopted.Delivery, adoptedClaim), cancellationToken);
        }

        await PendingWriteStore.DeleteAsync(connection, transaction, keep.Write.WriteId, cancellationToken);
        if (adopted is not null)
        {
            await PendingWriteStore.MarkDiscardingAsync(connection, transaction, pending.Write.WriteId, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);

        if (adopted is not null)
        {
            LogAdopted(recordingId, pending.Sha256.Hex, adopted.Write.WriteId, keep.Location, delivery.OriginalName);
            await DiscardAsync(pending, cancellationToken);
        }

        if (claim.Mismatch is not null)
        {
            LogQuarantined(recordingId, pending.Sha256.Hex, delivery.OriginalName, claim.Mismatch);
        }
        else
        {
            LogStored(recordingId, pending.Sha256.Hex, pending.Size, delivery.OriginalName, delivery.Kind);
        }

        return new ArchivedRecording(recordingId, newSourceId, sealedObject.Sha256, sealedObject.Size, store.Name, sealedObject.Location, now, ArchiveOutcome.Stored, claim.Mismatch);
    }

    /// <summary>The same file from the same place (a station resending what it got no receipt for).</summary>
    private static bool SameArrival(Delivery a, Delivery b) =>
        a.Kind == b.Kind && a.StationId == b.StationId && a.ApiKeyId == b.ApiKeyId && a.OriginalPath == b.OriginalPath
        && a.OriginalName == b.OriginalName && a.FileModifiedAt == b.FileModifiedAt;

    /// <summary>Removes a copy the catalogue does not need (its row says 'discarding'), then the row.</summary>
    private async Task DiscardAsync(PendingObject pending, CancellationToken cancellationToken)
    {
        await store.DiscardAsync(pending, cancellationToken);
        await pendingWrites.DeleteAsync(pending.Write.WriteId, cancellationToken);
    }

    /// <summary>
    /// The alerts a delivery raises, in its cataloguing transaction: a quarantine (the source's own hash did not
    /// match what arrived), and a recorder docking (dock or station delivery) whose serial the register does not
    /// know — one alert per serial and UTC day, since one docking brings many files.
    /// </summary>
    private static async Task RaiseAlertsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid recordingId, PendingObject pending, Delivery delivery, ClaimCheck claim, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (claim.Mismatch is { } mismatch)
        {
            await AlertStore.RaiseAsync(
                connection,
                transaction,
                new Alert(
                    AlertKinds.Quarantined,
                    "recording",
                    recordingId.ToString(),
                    $"A delivery of recording {recordingId} ({delivery.OriginalName}) did not match its source's own hash and is quarantined.",
                    new
                    {
                        recordingId,
                        sha256 = pending.Sha256.Hex,
                        size = pending.Size,
                        source = delivery.Kind.ToString().ToLowerInvariant(),
                        name = delivery.OriginalName,
                        station = delivery.StationId,
                        device = delivery.DeviceSerial,
                        officer = delivery.OfficerId,
                        unit = delivery.UnitCode,
                        reason = mismatch,
                    }),
                now,
                cancellationToken);
        }

        if (delivery.Kind is SourceKind.Dock or SourceKind.Station
            && !string.IsNullOrWhiteSpace(delivery.DeviceSerial)
            && !await RecorderStore.IsRegisteredAsync(connection, transaction, delivery.DeviceSerial, cancellationToken))
        {
            var serial = delivery.DeviceSerial.Trim().ToUpperInvariant();
            await AlertStore.RaiseAsync(
                connection,
                transaction,
                new Alert(
                    AlertKinds.UnregisteredRecorder,
                    RecorderStore.SubjectType,
                    serial,
                    $"Recorder {serial}, which is not in the recorder register, docked{(delivery.StationId is null ? "" : $" at station {delivery.StationId}")}.",
                    new { serial, station = delivery.StationId, officer = delivery.OfficerId, unit = delivery.UnitCode, recordingId, name = delivery.OriginalName },
                    string.Create(CultureInfo.InvariantCulture, $"{AlertKinds.UnregisteredRecorder}/{serial}/{now.UtcDateTime:yyyy-MM-dd}")),
                now,
                cancellationToken);
        }
    }

    private static AuditEntry AuditOf(string action, Guid recordingId, PendingObject pending, Delivery delivery, ClaimCheck claim) => new(
        delivery.Actor,
        action,
        "recording",
        recordingId.ToString(),
        new
        {
            sha256 = pending.Sha256.Hex,
            size = pending.Size,
            source = delivery.Kind.ToString().ToLowerInvariant(),
            name = delivery.OriginalName,
            path = delivery.OriginalPath,
            station = delivery.StationId,
            device = delivery.DeviceSerial,
            officer = delivery.OfficerId,
            claimVerified = claim.Verified,
            quarantine = claim.Mismatch,
        });

    [LoggerMessage(Level = LogLevel.Information, Message = "Stored recording {RecordingId} {Sha256} ({Size} bytes) from {OriginalName} via {SourceKind}")]
    private partial void LogStored(Guid recordingId, string sha256, long size, string originalName, SourceKind sourceKind);

    [LoggerMessage(Level = LogLevel.Information, Message = "Already held recording {RecordingId} {Sha256}: {OriginalName} added as another source")]
    private partial void LogAlreadyHeld(Guid recordingId, string sha256, string originalName);

    [LoggerMessage(Level = LogLevel.Error, Message = "Quarantined recording {RecordingId} {Sha256} from {OriginalName}: {Reason}")]
    private partial void LogQuarantined(Guid recordingId, string sha256, string originalName, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recovered interrupted write {WriteId} (state {State}) of {OriginalName}")]
    private partial void LogRecovered(Guid writeId, string state, string originalName);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not recover interrupted write {WriteId} (state {State}) of {OriginalName}; retried on a later pass")]
    private partial void LogRecoveryFailed(Exception exception, Guid writeId, string state, string originalName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording {RecordingId} {Sha256} adopted the copy {Location} that write {AdoptedWriteId} was sealing when its process died; the new copy of {OriginalName} is discarded")]
    private partial void LogAdopted(Guid recordingId, string sha256, Guid adoptedWriteId, ObjectRef location, string originalName);

    [LoggerMessage(Level = LogLevel.Information, Message = "Write {WriteId} ({Sha256}) was finished by another process (recording {RecordingId})")]
    private partial void LogFinishedElsewhere(Guid writeId, string sha256, Guid? recordingId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording {RecordingId}: derivative write {WriteId} was locked at {Location} by a process that died before cataloguing it; catalogued with the recording and kept")]
    private partial void LogDerivativeKept(Guid recordingId, Guid writeId, ObjectRef location);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Interrupted write {WriteId} belongs to store {Store}, not this one; left for a process configured with that store")]
    private partial void LogOtherStore(Guid writeId, string store);
}
