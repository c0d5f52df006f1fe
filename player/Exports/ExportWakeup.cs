using System.Threading.Channels;

namespace Enforcement.Media.Player.Exports;

/// <summary>
/// Wakes this instance's <see cref="ExportWorker"/> when an approval here queued a package, so it starts
/// at once rather than at the next poll. Other instances find the job by polling; the queue is the truth.
/// </summary>
public sealed class ExportWakeup
{
    private readonly Channel<bool> _signals = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

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
