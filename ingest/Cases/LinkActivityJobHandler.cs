using System.Text.Json;
using Enforcement.Media.Storage.Cases;
using Enforcement.Media.Storage.Jobs;

namespace Enforcement.Media.Ingest.Cases;

/// <summary>Relinks the recordings an activity covers after the case system created or changed it.</summary>
public sealed class LinkActivityJobHandler(RecordingLinker linker) : IJobHandler
{
    public string Kind => JobKinds.LinkActivity;

    public async Task HandleAsync(ClaimedJob job, CancellationToken cancellationToken)
    {
        using var payload = JsonDocument.Parse(job.Payload);
        var activityId = payload.RootElement.GetProperty("activityId").GetGuid();
        await linker.LinkActivityAsync(activityId, cancellationToken);
    }
}
