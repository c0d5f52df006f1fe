namespace Enforcement.Media.Player.Accounts;

/// <summary>Forgets stale sign-in failure counts hourly, so guesses from ever new addresses do not grow the table without end.</summary>
public sealed partial class SignInThrottleSweeper(SignInThrottle throttle, TimeProvider time, ILogger<SignInThrottleSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var forgotten = await throttle.SweepAsync(stoppingToken);
                LogSwept(forgotten);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // Nothing is lost by skipping a sweep: the next one removes the same rows.
                LogSweepFailed(ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Forgot {Count} stale sign-in failure counts")]
    private partial void LogSwept(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not sweep stale sign-in failure counts; trying again in an hour")]
    private partial void LogSweepFailed(Exception exception);
}
