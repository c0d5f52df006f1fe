using Enforcement.Media.Storage.Jobs;
using Enforcement.Media.Storage.Retention;

namespace Enforcement.Media.Ingest.Cases;

/// <summary>Brings one recording's locks in the store up to its retention policy (queued on every link, case or hold change).</summary>
public sealed class RetentionJobHandler(RetentionEnforcer enforcer) : IJobHandler
{
    public const string Actor = "system:retention";

    public string Kind => JobKinds.Retention;

    public Task HandleAsync(ClaimedJob job, CancellationToken cancellationToken) =>
        enforcer.ApplyAsync(job.RecordingId ?? throw new InvalidOperationException($"Job {job.Id} has no recording."), Actor, cancellationToken);
}
