using System.Text.Json;
using Enforcement.Media.Storage.Jobs;
using Enforcement.Media.Storage.Objects;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Player.Exports;

/// <summary>
/// Builds approved export packages in the player: claims <c>export-package</c> jobs from the shared queue
/// (SKIP LOCKED, so any number of player instances share them), keeps the lease while a package streams,
/// and retries a build that failed for a passing reason. A package whose original does not hash as
/// recorded fails at once: retrying cannot make wrong bytes right. Failures are caught here, per job.
/// </summary>
public sealed partial class ExportWorker(
    JobQueue queue,
    ExportPackager packager,
    ExportWakeup wakeup,
    ExportSigner signer,
    IOptions<ExportOptions> options,
    ILogger<ExportWorker> logger) : BackgroundService
{
    private static readonly string Owner = $"player:{Environment.MachineName}/{Environment.ProcessId}";
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!signer.IsConfigured)
        {
            LogDisabled($"{ExportOptions.Section}:SigningKeyPath");
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!await RunOnceAsync(stoppingToken))
                {
                    await wakeup.WaitAsync(options.Value.PollInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The queue itself failed (database unreachable): the jobs stay queued; look again shortly.
                LogQueueFailed(ex);
                await Task.Delay(options.Value.PollInterval, stoppingToken);
            }
        }
    }

    /// <summary>Claims and runs one export job; false when none was ready.</summary>
    public async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        var job = await queue.ClaimAsync([ExportService.JobKind], Owner, Lease, cancellationToken);
        if (job is null)
        {
            return false;
        }

        var exportId = JsonDocument.Parse(job.Payload).RootElement.GetProperty("exportId").GetGuid();
        using var renewing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var renewal = RenewAsync(job.Id, renewing.Token);
        try
        {
            await packager.BuildAsync(exportId, cancellationToken);
            await StopAsync(renewing, renewal);
            await queue.CompleteAsync(job.Id, Owner, cancellationToken);
        }
        catch (ObjectIntegrityException ex)
        {
            await StopAsync(renewing, renewal);
            await packager.FailAsync(exportId, ex.Message, CancellationToken.None);
            await queue.CompleteAsync(job.Id, Owner, CancellationToken.None);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            await StopAsync(renewing, renewal);
            var delay = TimeSpan.FromSeconds(30 * job.Attempts);
            if (await queue.FailAsync(job.Id, Owner, $"{ex.GetType().Name}: {ex.Message}", delay, CancellationToken.None) == JobFailure.GaveUp)
            {
                await packager.FailAsync(exportId, $"gave up after {job.Attempts} attempts: {ex.Message}", CancellationToken.None);
            }
            else
            {
                LogWillRetry(ex, exportId, job.Attempts, delay.TotalSeconds);
            }
        }

        return true;
    }

    private static async Task StopAsync(CancellationTokenSource renewing, Task renewal)
    {
        await renewing.CancelAsync();
        await renewal;
    }

    private async Task RenewAsync(long jobId, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Lease / 3);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await queue.RenewLeaseAsync(jobId, Owner, Lease, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The job finished.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No export signing key ({Setting}): this player builds no export packages and refuses export requests")]
    private partial void LogDisabled(string setting);

    [LoggerMessage(Level = LogLevel.Error, Message = "The export queue could not be read; trying again shortly")]
    private partial void LogQueueFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Export {ExportId}: building the package failed (attempt {Attempt}); retrying in {DelaySeconds} s")]
    private partial void LogWillRetry(Exception exception, Guid exportId, int attempt, double delaySeconds);
}
