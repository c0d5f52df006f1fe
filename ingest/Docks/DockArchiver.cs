using Enforcement.Media.Ingest.Receipts;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Recordings;

namespace Enforcement.Media.Ingest.Docks;

/// <summary>
/// Delivers one docked file: describes it (name and sidecars), archives it through the one
/// pipeline every source uses, and writes its receipt. Never deletes anything; releasing the
/// source is <see cref="SourceRelease"/>'s decision, made afterwards from durable state.
/// </summary>
public sealed partial class DockArchiver(
    RecordingArchive archive,
    DeliveryReader reader,
    ReceiptFiles receipts,
    AuditTrail audit,
    TimeProvider time,
    ILogger<DockArchiver> logger) : IDockDelivery
{
    public async Task<DockFileOutcome> DeliverAsync(DockedFile file, CancellationToken cancellationToken)
    {
        // First, so a receipts folder that cannot be written fails the delivery before anything is recorded for it.
        receipts.Prepare(file.Root, file.RelativePath);
        var described = reader.Describe(file.FullPath, SourceKind.Dock, file.Actor, file.Station, file.Signature.ModifiedAt);
        if (described.Problems.Count > 0)
        {
            foreach (var problem in described.Problems)
            {
                LogSidecarProblem(file.FullPath, problem);
            }

            // Audited before the archive, so no attempt that read a bad sidecar goes unrecorded.
            await audit.AppendAsync(
                new AuditEntry(file.Actor, StationSidecar.RejectedAuditAction, "source-file", file.FullPath, new { station = file.Station, path = file.RelativePath, problems = described.Problems }),
                cancellationToken);
        }

        var started = time.GetTimestamp();
        ArchivedRecording archived;
        await using (var source = OpenSource(file))
        {
            if (!Signature(source).SameAs(file.Signature))
            {
                LogChanged(file.FullPath, "before it was read");
                return new DockFileOutcome(file, DockFileResult.ChangedWhileRead);
            }

            archived = await archive.ArchiveAsync(source, described.Delivery, null, cancellationToken);
        }

        var elapsed = time.GetElapsedTime(started);
        if (archived.Size != file.Signature.Size || FileSignature.Of(file.FullPath) is not { } after || !after.SameAs(file.Signature))
        {
            // What was read is kept (it is evidence too), but a receipt for it would describe a file that no longer exists.
            LogChanged(file.FullPath, $"while it was read (recording {archived.RecordingId} holds what was read)");
            return new DockFileOutcome(file, DockFileResult.ChangedWhileRead, archived);
        }

        var receipt = new ReceiptFile(
            ReceiptFile.CurrentFormat,
            Receipt.From(archived),
            new ReceiptSource(file.RelativePath, file.Signature.Size, file.Signature.ModifiedAt, file.Actor, file.Station),
            time.GetUtcNow(),
            described.Problems);
        var receiptPath = await receipts.WriteAsync(file.Root, receipt, cancellationToken);

        var megabytesPerSecond = archived.Size / 1_000_000d / Math.Max(elapsed.TotalSeconds, 0.001);
        if (archived.QuarantineReason is { } quarantine)
        {
            LogDeliveredQuarantined(file.FullPath, file.Actor, archived.Sha256.Hex, archived.RecordingId, archived.Size, elapsed.TotalMilliseconds, quarantine);
        }
        else
        {
            LogDelivered(file.FullPath, file.Actor, archived.Sha256.Hex, archived.RecordingId, archived.Outcome, archived.Size, elapsed.TotalMilliseconds, megabytesPerSecond);
        }

        return new DockFileOutcome(file, DockFileResult.Delivered, archived, receiptPath);
    }

    /// <summary>Read-only and sharing everything: the watcher never writes to, or locks others out of, a recorder's files.</summary>
    private static FileStream OpenSource(DockedFile file) => new(file.FullPath, new FileStreamOptions
    {
        Mode = FileMode.Open,
        Access = FileAccess.Read,
        Share = FileShare.ReadWrite,
        Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
        BufferSize = 0,
    });

    /// <summary>The signature of the file actually opened (by handle, not by name).</summary>
    private static FileSignature Signature(FileStream source) =>
        new(source.Length, new DateTimeOffset(File.GetLastWriteTimeUtc(source.SafeFileHandle), TimeSpan.Zero));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sidecar problem for {SourcePath}: {Problem}; the file is ingested with what could be read")]
    private partial void LogSidecarProblem(string sourcePath, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Docked file {SourcePath} changed {When}; it is delivered again once stable")]
    private partial void LogChanged(string sourcePath, string when);

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivered {SourcePath} from {Actor}: {Sha256} recording {RecordingId} {Outcome}, {Size} bytes in {ElapsedMs:F0} ms ({MegabytesPerSecond:F1} MB/s)")]
    private partial void LogDelivered(string sourcePath, string actor, string sha256, Guid recordingId, ArchiveOutcome outcome, long size, double elapsedMs, double megabytesPerSecond);

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivered {SourcePath} from {Actor} QUARANTINED: {Sha256} recording {RecordingId}, {Size} bytes in {ElapsedMs:F0} ms: {QuarantineReason}; the source is never deleted")]
    private partial void LogDeliveredQuarantined(string sourcePath, string actor, string sha256, Guid recordingId, long size, double elapsedMs, string quarantineReason);
}
