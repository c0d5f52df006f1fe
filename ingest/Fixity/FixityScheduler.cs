using Enforcement.Media.Storage.Fixity;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Ingest.Fixity;

/// <summary>
/// Queues a sample fixity run every <c>Fixity:SampleEvery</c> (the job worker runs it). Every ingest
/// process asks; the catalogue makes sure one run is queued per period.
/// </summary>
public sealed partial class FixityScheduler(FixityStore fixity, IOptions<FixityOptions> options, ILogger<FixityScheduler> logger) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            LogDisabled();
            return;
        }

        using var timer = new PeriodicTimer(Poll);
        do
        {
            try
            {
                if (await fixity.EnqueueSampleIfDueAsync(options.Value.SampleEvery, stoppingToken) is { } jobId)
                {
                    LogQueued(jobId);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogScheduleFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Queued fixity sample run as job {JobId}")]
    private partial void LogQueued(long jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scheduled fixity runs are off (Fixity:Enabled = false); originals are re-read only by 'ingest fixity'")]
    private partial void LogDisabled();

    [LoggerMessage(Level = LogLevel.Error, Message = "Scheduling a fixity run failed; trying again shortly")]
    private partial void LogScheduleFailed(Exception exception);
}
