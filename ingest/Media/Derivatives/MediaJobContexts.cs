using System.Text.Json;
using Enforcement.Media.Ingest.Media.Sources;
using Enforcement.Media.Storage.Jobs;
using Enforcement.Media.Storage.Media;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Ingest.Media.Derivatives;

/// <summary>Opens the <see cref="MediaJobContext"/> of a media job.</summary>
public sealed class MediaJobContexts(OriginalSources sources, MediaProbeStore probes, IOptions<MediaOptions> options)
{
    /// <summary>Null when the recording is unplayable: there is nothing to make, and nothing to retry.</summary>
    public Task<MediaJobContext?> OpenAsync(ClaimedJob job, CancellationToken cancellationToken) =>
        OpenAsync(job, job.RecordingId ?? throw new InvalidOperationException($"{job.Kind} job {job.Id} names no recording."), null, cancellationToken);

    /// <summary>
    /// For jobs that name their recording elsewhere (a redaction's, a publication's): ffmpeg reads
    /// <paramref name="input"/> when given, else the original. Null when the recording is unplayable.
    /// </summary>
    public async Task<MediaJobContext?> OpenAsync(ClaimedJob job, Guid recordingId, MediaInput? input, CancellationToken cancellationToken)
    {
        var original = await sources.FindAsync(recordingId, cancellationToken);
        var probe = await probes.FindAsync(recordingId, cancellationToken)
            ?? throw new InvalidOperationException($"Recording {recordingId} has not been probed yet; its {job.Kind} job waits for the probe.");
        if (!probe.Playable)
        {
            return null;
        }

        // ffmpeg needs the original for as long as the work takes: transcodes run at about real time on
        // small machines, so an hour plus four times the recording's length.
        var lifetime = TimeSpan.FromHours(1) + TimeSpan.FromSeconds(4 * (probe.Probe.DurationSeconds ?? 3600));
        var work = MediaWorkFolder.Create(options.Value.ResolvedWorkFolder, job.Id);
        try
        {
            input ??= MediaInput.Original(original);
            var source = await sources.ExposeAsync(input.Location, lifetime, cancellationToken);
            return new MediaJobContext(original, probe, source, work, job.Id, IsRemake(job.Payload), input);
        }
        catch
        {
            work.Dispose();
            throw;
        }
    }

    private static bool IsRemake(string payload)
    {
        using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(payload) ? "{}" : payload);
        return document.RootElement.ValueKind == JsonValueKind.Object
            && document.RootElement.TryGetProperty("remake", out var remake)
            && remake.ValueKind == JsonValueKind.True;
    }
}
