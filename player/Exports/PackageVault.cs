using System.IO.Pipelines;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Storage.Recordings;
using Npgsql;

namespace Enforcement.Media.Player.Exports;

/// <summary>
/// Streams a package into the evidence store as it is written (a pipe between the ZIP writer and the
/// store: no temporary file, at most a few MiB in memory), seals it in COMPLIANCE mode so the exact
/// bytes handed out stay provable, and records object, export state and audit event in one transaction.
/// The write is registered in <c>pending_writes</c> first, so a crash mid-write is cleaned up by the
/// ingest worker's recovery like any other interrupted write.
/// </summary>
public sealed partial class PackageVault(NpgsqlDataSource dataSource, IEvidenceStore store, PendingWriteStore pendingWrites, AuditTrail audit, TimeProvider time, ILogger<PackageVault> logger)
{
    public const string Actor = "system:export";

    /// <summary>Recovery leaves a write alone this long after its last renewal; renewed every tenth of it while the package streams.</summary>
    private static readonly TimeSpan WriteLease = TimeSpan.FromHours(1);

    private static readonly string Owner = $"{Environment.MachineName}/{Environment.ProcessId}";

    public async Task<StoredPackage> StoreAsync(
        Guid exportId, Func<Stream, CancellationToken, Task<BuiltPackage>> produce, DateTimeOffset retainUntil, CancellationToken cancellationToken)
    {
        var write = ObjectWrite.New(ObjectKind.Export, "application/zip");
        await pendingWrites.BeginAsync(write, store.Name, new Delivery(SourceKind.Command, Actor, $"export package {exportId}", ContentType: "application/zip"), Owner, WriteLease, cancellationToken);
        using var renewing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var renewal = RenewAsync(write.WriteId, renewing.Token);
        try
        {
            var (pending, built) = await StreamAsync(write, produce, cancellationToken);
            SealedObject sealedObject;
            try
            {
                sealedObject = await store.SealAsync(pending, new ObjectLock(retainUntil), cancellationToken);
            }
            catch
            {
                await store.DiscardAsync(pending, CancellationToken.None);
                throw;
            }

            await renewing.CancelAsync();
            await renewal;
            return await RecordAsync(exportId, write, sealedObject, built, cancellationToken);
        }
        catch
        {
            await renewing.CancelAsync();
            await renewal;
            await pendingWrites.DeleteAsync(write.WriteId, CancellationToken.None);
            throw;
        }
    }

    /// <summary>The ZIP writer fills one end of a pipe while the store reads the other.</summary>
    private async Task<(PendingObject Pending, BuiltPackage Built)> StreamAsync(ObjectWrite write, Func<Stream, CancellationToken, Task<BuiltPackage>> produce, CancellationToken cancellationToken)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 8 << 20, resumeWriterThreshold: 4 << 20, useSynchronizationContext: false));
        using var stopProducing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = ProduceAsync(pipe.Writer, produce, stopProducing.Token);
        PendingObject pending;
        try
        {
            // leaveOpen: the writer is completed explicitly, with the producer's exception when it fails,
            // so the store sees a failed read — never a clean end of a truncated package.
            await using var content = pipe.Reader.AsStream(leaveOpen: true);
            pending = await store.WriteAsync(write, content, null, cancellationToken);
        }
        catch
        {
            await stopProducing.CancelAsync();
            await pipe.Reader.CompleteAsync();
            await Task.WhenAny(producer);

            // The producer's failure (an original that does not hash right) is the cause worth reporting.
            if (producer.IsFaulted && producer.Exception!.InnerException is { } cause and not OperationCanceledException)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(cause);
            }

            throw;
        }

        await pipe.Reader.CompleteAsync();
        try
        {
            return (pending, await producer);
        }
        catch
        {
            await store.DiscardAsync(pending, CancellationToken.None);
            throw;
        }
    }

    private static async Task<BuiltPackage> ProduceAsync(PipeWriter writer, Func<Stream, CancellationToken, Task<BuiltPackage>> produce, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            BuiltPackage built;
            await using (var output = writer.AsStream(leaveOpen: true))
            {
                built = await produce(output, cancellationToken);
                await output.FlushAsync(cancellationToken);
            }

            await writer.CompleteAsync();
            return built;
        }
        catch (Exception ex)
        {
            await writer.CompleteAsync(ex);
            throw;
        }
    }

    private async Task<StoredPackage> RecordAsync(Guid exportId, ObjectWrite write, SealedObject sealedObject, BuiltPackage built, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var objectId = await RecordingStore.InsertObjectAsync(connection, transaction, store.Name, sealedObject, ObjectKind.Export, "application/zip", null, now, cancellationToken);
        if (!await ExportStore.MarkReadyAsync(connection, transaction, exportId, objectId, sealedObject.Sha256.Hex, sealedObject.Size, built.ManifestSha256, now, cancellationToken))
        {
            throw new InvalidOperationException($"Export {exportId} is no longer approved; its package {sealedObject.Location} stays locked in the store, unused.");
        }

        await audit.AppendAsync(
            connection,
            transaction,
            new AuditEntry(Actor, "export.package-built", "export", exportId.ToString(), new
            {
                sha256 = sealedObject.Sha256.Hex,
                size = sealedObject.Size,
                manifestSha256 = built.ManifestSha256,
                objectKey = sealedObject.Location.Key,
                versionId = sealedObject.Location.VersionId,
                retainUntil = sealedObject.Retention.RetainUntil,
                files = built.Files.Select(f => new { f.Path, f.Sha256, f.Size }),
            }),
            cancellationToken);
        await PendingWriteStore.DeleteAsync(connection, transaction, write.WriteId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogStored(exportId, sealedObject.Sha256.Hex, sealedObject.Size, sealedObject.Location);
        return new StoredPackage(store.Name, sealedObject.Location, sealedObject.Sha256.Hex, sealedObject.Size);
    }

    private async Task RenewAsync(Guid writeId, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(WriteLease / 10);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await pendingWrites.RenewAsync(writeId, Owner, WriteLease, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The write finished (or failed); nothing to renew.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Export {ExportId}: package {Sha256} ({Size} bytes) locked in the store as {ObjectKey}")]
    private partial void LogStored(Guid exportId, string sha256, long size, ObjectRef objectKey);
}
