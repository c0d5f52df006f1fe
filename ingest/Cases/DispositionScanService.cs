using Enforcement.Media.Storage.Retention;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Ingest.Cases;

/// <summary>
/// Periodically queues recordings whose retention ended (no hold, no open case) for a records
/// manager's decision. Queuing deletes nothing; several workers running it at once is harmless.
/// </summary>
public sealed partial class DispositionScanService(DispositionService disposition, IOptions<RetentionScheduleOptions> options, ILogger<DispositionScanService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.DispositionScanInterval);
        do
        {
            try
            {
                await disposition.RefreshQueueAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogScanFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Scanning for recordings past their retention failed; it runs again at the next interval")]
    private partial void LogScanFailed(Exception exception);
}
