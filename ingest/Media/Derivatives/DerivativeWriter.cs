using System.Text.Json.Nodes;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Media;
using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Storage.Recordings;
using Npgsql;

namespace Enforcement.Media.Ingest.Media.Derivatives;

/// <summary>
/// Streams a finished derivative file into the evidence store, seals it at least as long as its original
/// is kept, and catalogues object, provenance and audit event in one transaction. Also records failed
/// attempts, so the provenance shows every try.
/// </summary>
public sealed partial class DerivativeWriter(
    NpgsqlDataSource dataSource,
    IEvidenceStore store,
    PendingWriteStore pendingWrites,
    AuditTrail audit,
    TimeProvider time,
    ILogger<DerivativeWriter> logger)
{
    public const string Actor = "system:media";

    /// <summary>Derivatives are at most a few GB: an hour covers the slowest write; recovery waits that long after a crash.</summary>
    private static readonly TimeSpan WriteLease = TimeSpan.FromHours(1);

    /// <summary>A lock must end in the future even when the original's retention has already run out.</summary>
    private static readonly TimeSpan MinimumLock = TimeSpan.FromDays(1);

    private static readonly string Owner = $"{Environment.MachineName}/{Environment.ProcessId}";

    public async Task<StoredDerivative> StoreAsync(RecordingOriginal original, DerivativeOutput output, DerivationRun run, CancellationToken cancellationToken)
    {
        var write = ObjectWrite.New(output.Kind, output.ContentType);

        // Recorded as pending so that a crash is found again by recovery: mid-write, it removes unfinished
        // uploads and unlocked objects; once 'sealing', the copy may be locked, and recovery catalogues it
        // under its recording instead of leaving it unknown in the store. The row is deleted in the
        // transaction that catalogues the derivative.
        var delivery = new Delivery(SourceKind.Command, Actor, $"{output.Role.ToName()} of recording {original.RecordingId}", DerivativeOf: original.RecordingId);
        await pendingWrites.BeginAsync(write, store.Name, delivery, Owner, WriteLease, cancellationToken);
        PendingObject pending;
        try
        {
            await using var file = new FileStream(output.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.Asynchronous | FileOptions.SequentialScan);
            pending = await store.WriteAsync(write, file, null, cancellationToken);
        }
        catch
        {
            // The store removed its partial write; the derivative can be made again from the original.
            await pendingWrites.DeleteAsync(write.WriteId, CancellationToken.None);
            throw;
        }

        var retainUntil = await RetainUntilAsync(original, cancellationToken);
        await pendingWrites.MarkWrittenAsync(pending, md5: null, cancellationToken);
        await pendingWrites.MarkSealingAsync(write.WriteId, cancellationToken);
        var sealedObject = await store.SealAsync(pending, new ObjectLock(retainUntil, original.LegalHold), cancellationToken);

        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // A content-addressed store keeps one copy of identical bytes: a remux made again lands on the same object.
        var objectId = await DerivationStore.FindObjectAsync(connection, transaction, store.Name, sealedObject.Location, cancellationToken)
            ?? await RecordingStore.InsertObjectAsync(connection, transaction, store.Name, sealedObject, output.Kind, output.ContentType, original.RecordingId, now, cancellationToken);
        var lineage = output.Lineage ?? DerivativeLineage.None;
        var derivation = new Derivation(
            Guid.CreateVersion7(now), original.RecordingId, output.Role, true, objectId, output.Method, lineage.InputSha256 ?? original.Sha256, sealedObject.Sha256,
            run.Tool, run.ToolVersion, run.Arguments, run.StartedAt, run.FinishedAt, run.Messages, output.Width, output.Height, output.DurationSeconds, run.JobId,
            lineage.RedactionId, lineage.InputObjectId);
        await DerivationStore.InsertAsync(connection, transaction, derivation, cancellationToken);
        var details = new JsonObject
        {
            ["role"] = output.Role.ToName(),
            ["method"] = output.Method,
            ["originalSha256"] = original.Sha256.Hex,
            ["sha256"] = sealedObject.Sha256.Hex,
            ["size"] = sealedObject.Size,
            ["objectKey"] = sealedObject.Location.Key,
            ["versionId"] = sealedObject.Location.VersionId,
            ["tool"] = $"{run.Tool} {run.ToolVersion}",
        };
        await audit.AppendAsync(
            connection, transaction, new AuditEntry(Actor, "recording.derivative-made", "recording", original.RecordingId.ToString(), WithLineage(details, lineage)), cancellationToken);
        await PendingWriteStore.DeleteAsync(connection, transaction, write.WriteId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        LogStored(original.RecordingId, output.Role, output.Method, sealedObject.Sha256.Hex, sealedObject.Size);
        return new StoredDerivative(derivation.Id, objectId, sealedObject.Location, sealedObject.Sha256, sealedObject.Size, sealedObject.Retention);
    }

    /// <summary>Records a failed attempt — reason and all — in the provenance and the audit trail.</summary>
    public async Task RecordFailureAsync(
        RecordingOriginal original, DerivationRole role, string method, DerivationRun run, string reason, DerivativeLineage? lineage, CancellationToken cancellationToken)
    {
        lineage ??= DerivativeLineage.None;
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var derivation = new Derivation(
            Guid.CreateVersion7(now), original.RecordingId, role, false, null, method, lineage.InputSha256 ?? original.Sha256, null,
            run.Tool, run.ToolVersion, run.Arguments, run.StartedAt, run.FinishedAt, reason, null, null, null, run.JobId, lineage.RedactionId, lineage.InputObjectId);
        await DerivationStore.InsertAsync(connection, transaction, derivation, cancellationToken);
        var details = new JsonObject
        {
            ["role"] = role.ToName(),
            ["method"] = method,
            ["originalSha256"] = original.Sha256.Hex,
            ["reason"] = reason.Length > 2000 ? reason[^2000..] : reason,
        };
        await audit.AppendAsync(
            connection, transaction, new AuditEntry(Actor, "recording.derivative-failed", "recording", original.RecordingId.ToString(), WithLineage(details, lineage)), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogFailed(original.RecordingId, role, method, reason);
    }

    /// <summary>A redaction's outputs name it, and a copy made from another object names that object, in the audit trail as in the provenance.</summary>
    private static JsonObject WithLineage(JsonObject details, DerivativeLineage lineage)
    {
        if (lineage.RedactionId is { } redactionId)
        {
            details["redactionId"] = redactionId.ToString();
        }

        if (lineage.InputObjectId is { } inputObjectId)
        {
            details["inputObjectId"] = inputObjectId.ToString();
            details["inputSha256"] = lineage.InputSha256?.Hex;
        }

        return details;
    }

    /// <summary>
    /// Never shorter than the original: the later of the catalogue's retain-until and the lock the store
    /// itself holds on the original (which may have been extended since).
    /// </summary>
    private async Task<DateTimeOffset> RetainUntilAsync(RecordingOriginal original, CancellationToken cancellationToken)
    {
        var stored = await store.GetRetentionAsync(original.Location, cancellationToken);
        var until = original.RetainUntil;
        if (stored.RetainUntil is { } storeUntil && storeUntil > until)
        {
            until = storeUntil;
        }

        var floor = time.GetUtcNow() + MinimumLock;
        return until > floor ? until : floor;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stored {Role} ({Method}) of recording {RecordingId}: {Sha256}, {Size} bytes")]
    private partial void LogStored(Guid recordingId, DerivationRole role, string method, string sha256, long size);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not make the {Role} ({Method}) of recording {RecordingId}; the original stays available: {Reason}")]
    private partial void LogFailed(Guid recordingId, DerivationRole role, string method, string reason);
}
