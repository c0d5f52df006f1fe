using Enforcement.Media.Storage.Jobs;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Ingest.Jobs;

/// <summary>
/// Counts the live jobs in PostgreSQL every <c>Jobs:QueueSampleInterval</c> for <see cref="JobMetrics"/>'s
/// queue gauge, and only while a metrics reader listens. One indexed query per interval, whoever scrapes
/// and however often.
/// </summary>
public sealed partial class JobQueueSampler(
    JobQueue queue, JobMetrics metrics, IEnumerable<IJobHandler> handlers, IOptions<JobOptions> options, ILogger<JobQueueSampler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var kinds = handlers.Select(h => h.Kind).ToList();
        using var timer = new PeriodicTimer(options.Value.QueueSampleInterval);
        do
        {
            if (!metrics.QueueObserved)
            {
                continue;
            }

            try
            {
                metrics.QueueSampled(await queue.CountLiveAsync(stoppingToken), kinds);
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException)
            {
                // The job worker already warns that the catalogue is unreachable.
                metrics.QueueUnknown();
                LogSampleFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not count the job queue; its gauge reports nothing until a count succeeds")]
    private partial void LogSampleFailed(Exception exception);
}
