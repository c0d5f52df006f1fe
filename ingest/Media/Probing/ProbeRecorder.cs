using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Jobs;
using Enforcement.Media.Storage.Media;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Enforcement.Media.Ingest.Media.Probing;

/// <summary>
/// Commits a probe result, the recording's new media state, its audit event and — when it can be played —
/// its rendition and thumbnails jobs, and the job linking it to cases, in one transaction.
/// </summary>
public sealed class ProbeRecorder(NpgsqlDataSource dataSource, AuditTrail audit, IOptions<MediaOptions> options, TimeProvider time)
{
    public const string Actor = "system:probe";

    public async Task RecordAsync(RecordingOriginal original, ProbeResult result, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await MediaProbeStore.SaveAsync(connection, transaction, original.RecordingId, result, time.GetUtcNow(), cancellationToken);
        await audit.AppendAsync(connection, transaction, AuditOf(original, result), cancellationToken);
        if (result.Playable)
        {
            await MediaJobs.ScheduleAsync(connection, transaction, original.RecordingId, result.Probe, options.Value, cancellationToken);
        }

        // The span (start + duration) is known now: link it to the case activities it records.
        // Unplayable files are linked too — they are still evidence of that time.
        await JobQueue.EnqueueAsync(connection, transaction, new JobRequest(JobKinds.LinkRecording, original.RecordingId), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static AuditEntry AuditOf(RecordingOriginal original, ProbeResult result)
    {
        var probe = result.Probe;
        return result.Playable
            ? new AuditEntry(Actor, "recording.probed", "recording", original.RecordingId.ToString(), new
            {
                sha256 = original.Sha256.Hex,
                kind = probe.Kind.ToString().ToLowerInvariant(),
                format = probe.FormatName,
                durationSeconds = probe.DurationSeconds,
                videoCodec = probe.Video?.Codec,
                width = probe.Video?.DisplayWidth,
                height = probe.Video?.DisplayHeight,
                audioCodec = probe.Audio?.Codec,
                ffprobe = result.ToolVersion,
            })
            : new AuditEntry(Actor, "recording.unplayable", "recording", original.RecordingId.ToString(), new
            {
                sha256 = original.Sha256.Hex,
                reason = result.UnplayableReason,
                ffprobe = result.ToolVersion,
            });
    }
}
