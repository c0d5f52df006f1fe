using Microsoft.Extensions.Options;

namespace Enforcement.Media.Ingest.Uploads;

/// <summary>
/// tus expiration: ends unfinished uploads nobody advanced for <see cref="UploadOptions.ExpireAfter"/>,
/// and uploads that received no byte within <see cref="UploadOptions.ExpireUnstartedAfter"/>, and
/// removes their staged bytes, audited as <c>upload.expired</c>. A phone that gave up on an upload
/// otherwise kept its partial file on the staging disk, and its remaining length counted against the
/// free-space check, for ever; a create that sent only headers held its whole length for a week.
/// Nothing of evidence is lost: an unfinished upload was never archived and gave no receipt, so its
/// source still holds the file and uploads it afresh. Runs in every ingest process; the catalogue
/// makes sure each upload is ended once.
/// </summary>
public sealed partial class UploadExpiry(UploadStore uploads, StagingArea staging, IOptions<UploadOptions> options, TimeProvider time, ILogger<UploadExpiry> logger)
    : BackgroundService
{
    public const string Actor = "system:uploads";

    /// <summary>How often idle uploads are looked for: a minute late on a quarter of an hour is fine.</summary>
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    /// <returns>How many uploads were ended.</returns>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var (cutoff, unstartedCutoff) = (now - options.Value.ExpireAfter, now - options.Value.ExpireUnstartedAfter);
        var ended = 0;
        foreach (var id in await uploads.IdleSinceAsync(cutoff, unstartedCutoff, 100, cancellationToken))
        {
            // Under the staging file's lock, as a DELETE is: an upload a PATCH is writing to right now is not idle.
            await using var file = staging.TryOpenExclusive(id);
            if (file is null || await uploads.ExpireAsync(id, cutoff, unstartedCutoff, Actor, cancellationToken) is not { } received)
            {
                continue;
            }

            try
            {
                staging.Delete(id);
            }
            catch (IOException ex)
            {
                // Ended in the catalogue already (and no longer counted against the disk); the file is an
                // operator's to remove.
                LogStagingNotRemoved(ex, id, staging.PathOf(id));
            }

            if (received == 0)
            {
                LogExpiredUnstarted(id, options.Value.ExpireUnstartedAfter);
            }
            else
            {
                LogExpired(id, options.Value.ExpireAfter);
            }

            ended++;
        }

        return ended;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(SweepInterval, time);
        do
        {
            try
            {
                while (await SweepAsync(stoppingToken) > 0)
                {
                    // A backlog is cleared in batches of a hundred.
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogSweepFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upload {UploadId} expired: nobody advanced it for {ExpireAfter}; its staged bytes were removed")]
    private partial void LogExpired(Guid uploadId, TimeSpan expireAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upload {UploadId} expired: no byte arrived within {ExpireUnstartedAfter}; the space it reserved is free again")]
    private partial void LogExpiredUnstarted(Guid uploadId, TimeSpan expireUnstartedAfter);

    [LoggerMessage(Level = LogLevel.Error, Message = "Expired upload {UploadId}: its staged file {Path} could not be removed")]
    private partial void LogStagingNotRemoved(Exception exception, Guid uploadId, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Looking for expired uploads failed; it runs again shortly")]
    private partial void LogSweepFailed(Exception exception);
}
