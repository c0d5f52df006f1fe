using System.Text.Json;
using Enforcement.Media.Storage.Fixity;
using Enforcement.Media.Storage.Jobs;

namespace Enforcement.Media.Ingest.Fixity;

/// <summary>
/// The <c>fixity</c> job: one run (payload <c>{"scope":"sample"}</c> or <c>"all"</c>). A mismatch is a
/// finding, not a failure of the job: it is recorded, audited and logged at error level by the
/// checker, and the job completes — retrying would only check the same bytes again.
/// </summary>
public sealed class FixityJobHandler(FixityChecker checker) : IJobHandler
{
    public string Kind => FixityStore.JobKind;

    public async Task HandleAsync(ClaimedJob job, CancellationToken cancellationToken)
    {
        using var payload = JsonDocument.Parse(job.Payload);
        var scope = payload.RootElement.TryGetProperty("scope", out var value) && value.GetString() == "all" ? FixityScope.All : FixityScope.Sample;
        await checker.RunAsync(scope, cancellationToken);
    }
}
