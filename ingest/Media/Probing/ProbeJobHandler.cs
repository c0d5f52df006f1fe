using Enforcement.Media.Ingest.Media.Sources;
using Enforcement.Media.Storage.Jobs;
using Enforcement.Media.Storage.Recordings;

namespace Enforcement.Media.Ingest.Media.Probing;

/// <summary>
/// The <c>probe</c> job <see cref="RecordingArchive"/> queues for every new original: ffprobe reads it
/// straight from the store (through the loopback server, so a moov at the end is no problem) and the
/// result is catalogued. Unreadable media is catalogued as unplayable with ffprobe's reason; the job
/// still succeeds, and the original stays stored and available.
/// </summary>
public sealed partial class ProbeJobHandler(OriginalSources sources, Ffprobe ffprobe, ProbeRecorder recorder, ILogger<ProbeJobHandler> logger) : IJobHandler
{
    /// <summary>ffprobe reads headers only: minutes are plenty even for a slow store.</summary>
    private static readonly TimeSpan SourceLifetime = TimeSpan.FromMinutes(30);

    public string Kind => RecordingArchive.ProbeJob;

    public async Task HandleAsync(ClaimedJob job, CancellationToken cancellationToken)
    {
        var recordingId = job.RecordingId ?? throw new InvalidOperationException($"Probe job {job.Id} names no recording.");
        var original = await sources.FindAsync(recordingId, cancellationToken);

        Storage.Media.ProbeResult result;
        using (var source = await sources.ExposeAsync(original, SourceLifetime, cancellationToken))
        {
            result = await ffprobe.ProbeAsync(source, cancellationToken);
        }

        await recorder.RecordAsync(original, result, cancellationToken);
        if (result.Playable)
        {
            LogProbed(recordingId, original.Sha256.Hex, result.Probe.Kind, result.Probe.FormatName, result.Probe.DurationSeconds);
        }
        else
        {
            LogUnplayable(recordingId, original.Sha256.Hex, result.UnplayableReason!);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Probed recording {RecordingId} {Sha256}: {MediaKind} in {Format}, {DurationSeconds} s")]
    private partial void LogProbed(Guid recordingId, string sha256, Storage.Media.MediaKind mediaKind, string? format, double? durationSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording {RecordingId} {Sha256} is unplayable (kept, and available as stored): {Reason}")]
    private partial void LogUnplayable(Guid recordingId, string sha256, string reason);
}
