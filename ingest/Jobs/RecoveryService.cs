using Enforcement.Media.Storage.Jobs;
using Enforcement.Media.Storage.Recordings;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Ingest.Jobs;

/// <summary>
/// Picks up after processes that died: jobs whose lease expired go back to the queue, and writes
/// interrupted mid-way are finished (bytes fully stored) or cleaned up (partial). Runs at start and
/// then periodically, in every ingest process; the database makes sure each item is handled once.
/// </summary>
public sealed partial class RecoveryService(JobQueue queue, RecordingArchive archive, IOptions<JobOptions> options, ILogger<RecoveryService> logger) : BackgroundService
{

    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        await queue.RecoverExpiredLeasesAsync(cancellationToken);
        while (await archive.RecoverAbandonedAsync(cancellationToken) > 0)
        {
            // Keep going until no abandoned write is left.
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RecoveryInterval);
        do
        {
            try
            {
                await RecoverAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRecoveryFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Recovery pass failed; it runs again shortly")]
    private partial void LogRecoveryFailed(Exception exception);
}
