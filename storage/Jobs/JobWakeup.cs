using System.Threading.Channels;

namespace Enforcement.Media.Storage.Jobs;

/// <summary>
/// Wakes this process's idle <see cref="JobWorker"/> when something here queued a job (an approved
/// export in the player), so it starts at once rather than at the next poll. Other processes find the
/// job by polling (<c>Jobs:PollInterval</c>); the queue is the truth.
/// </summary>
public sealed class JobWakeup
{
    private readonly Channel<bool> _signals = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Wakes one idle loop; when every loop is busy, the first to go idle looks again at once.</summary>
    public void Wake() => _signals.Writer.TryWrite(true);

    /// <summary>Returns when woken or when <paramref name="timeout"/> has passed.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        try
        {
            await _signals.Reader.ReadAsync(timer.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The poll interval passed.
        }
    }
}
