using Enforcement.Media.Storage.Cases;
using Enforcement.Media.Storage.Jobs;

namespace Enforcement.Media.Ingest.Cases;

/// <summary>Links a recording to the activities it records once its span is known (queued after probing).</summary>
public sealed class LinkRecordingJobHandler(RecordingLinker linker) : IJobHandler
{
    public string Kind => JobKinds.LinkRecording;

    public Task HandleAsync(ClaimedJob job, CancellationToken cancellationToken) =>
        linker.LinkRecordingAsync(job.RecordingId ?? throw new InvalidOperationException($"Job {job.Id} has no recording."), cancellationToken);
}
