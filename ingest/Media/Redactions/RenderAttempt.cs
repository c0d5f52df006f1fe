using Enforcement.Media.Ingest.Media.Derivatives;
using Enforcement.Media.Storage.Jobs;

namespace Enforcement.Media.Ingest.Media.Redactions;

/// <summary>
/// One attempt at a render someone waits for (a redaction, a publication copy). What ffmpeg refused is
/// the failure to show them: a retry would not change it. Anything else (the store, the catalogue) is
/// left to the job loop to retry — on the job's last attempt recorded first, so the render never stays
/// 'rendering' once the loop gives up.
/// </summary>
public static class RenderAttempt
{
    /// <param name="render">The render: null when it succeeded, else why it was refused.</param>
    /// <param name="recordGaveUp">Records the failure of the last attempt.</param>
    /// <returns>Null when rendered, else the reason it failed.</returns>
    public static async Task<string?> RunAsync(ClaimedJob job, Func<Task<string?>> render, Func<string, Task> recordGaveUp, CancellationToken cancellationToken)
    {
        try
        {
            return await render();
        }
        catch (DerivativeFailedException ex)
        {
            return ex.Reason;
        }
        catch (Exception ex) when (job.Attempts >= job.MaxAttempts && !cancellationToken.IsCancellationRequested)
        {
            await recordGaveUp($"Rendering failed {job.Attempts} times; the last time: {ex.Message}");
            throw;
        }
    }
}
