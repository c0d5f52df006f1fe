using System.Text.Json;
using Enforcement.Media.Storage.Jobs;
using Enforcement.Media.Storage.Redactions;

namespace Enforcement.Media.Ingest.Media.Suggestions;

/// <summary>
/// The <c>redaction-suggestions</c> job (payload <c>{"runId": …}</c>): looks for faces and stores them as
/// the run's suggestions, or fails the run with a reason a reviewer can read. Runs in the media pool.
/// </summary>
public sealed partial class SuggestionsJobHandler(SuggestionStore store, FaceSuggester suggester, ILogger<SuggestionsJobHandler> logger) : IJobHandler
{
    public string Kind => JobKinds.Suggestions;

    public string Pool => JobPools.Media;

    public async Task HandleAsync(ClaimedJob job, CancellationToken cancellationToken)
    {
        var runId = RunIdOf(job);
        var run = await store.StartAsync(runId, suggester.Detector, cancellationToken);
        if (run is null)
        {
            // Finished by an earlier attempt (or failed as orphaned): nothing left to do.
            return;
        }

        try
        {
            var found = await suggester.FindAsync(job, run, cancellationToken);
            await store.CompleteAsync(runId, found.FramesExamined, found.Findings, cancellationToken);
        }
        catch (SuggestionFailedException ex)
        {
            LogFailed(runId, ex.Message);
            await store.FailAsync(runId, ex.Message, cancellationToken);
        }
        catch (Exception ex) when (job.Attempts >= job.MaxAttempts && !cancellationToken.IsCancellationRequested)
        {
            // The last attempt: the run must not stay "running" once its job has given up.
            LogFailed(runId, ex.Message);
            await store.FailAsync(runId, ex.Message, CancellationToken.None);
            throw;
        }
    }

    private static Guid RunIdOf(ClaimedJob job)
    {
        using var payload = JsonDocument.Parse(string.IsNullOrWhiteSpace(job.Payload) ? "{}" : job.Payload);
        return payload.RootElement.ValueKind == JsonValueKind.Object
            && payload.RootElement.TryGetProperty("runId", out var runId)
            && runId.TryGetGuid(out var id)
                ? id
                : throw new InvalidOperationException($"{job.Kind} job {job.Id} names no run (payload {job.Payload}).");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Suggestion run {RunId} failed: {Reason}")]
    private partial void LogFailed(Guid runId, string reason);
}
