using System.Threading.Channels;

namespace Enforcement.Media.Storage.Catalogue;

/// <summary>
/// Group commit, for records that must be committed before what they record happens (a range served, a
/// public request answered). Each caller hands one item and waits; one writer drains whatever is waiting,
/// up to a batch, into one write — one transaction — and only once it has committed releases each waiter.
/// Concurrent callers share commits instead of queueing one transaction each, and nobody goes on on a
/// promise: when the write fails, or the writer stops, each waiter gets <see cref="GroupCommitException"/>
/// and must not do what the item records.
/// </summary>
public sealed class GroupCommit<TItem>
{
    private readonly Channel<Waiting> _queue = Channel.CreateBounded<Waiting>(new BoundedChannelOptions(8192) { SingleReader = true });

    /// <summary>
    /// Returns once the item's write has committed: true when it was written, false when the write declined
    /// it. Throws <see cref="GroupCommitException"/> when it could not be committed.
    /// </summary>
    public async Task<bool> SubmitAsync(TItem item, CancellationToken cancellationToken)
    {
        var waiting = new Waiting(item, new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
        try
        {
            await _queue.Writer.WriteAsync(waiting, cancellationToken);
        }
        catch (ChannelClosedException ex)
        {
            // The writer has stopped and takes nothing more, so this item cannot be committed.
            throw new GroupCommitException(stopped: true, ex);
        }

        return await waiting.Done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// The writer, until <paramref name="stoppingToken"/> fires. <paramref name="write"/> commits at most
    /// <paramref name="batchSize"/> items in one transaction and answers which of them it wrote; when it
    /// throws, <paramref name="failed"/> hears of it (with the batch's size) and the batch's waiters are
    /// refused. Once stopping, whoever still waits is refused and nothing more is taken.
    /// </summary>
    public async Task RunAsync(
        int batchSize, Func<IReadOnlyList<TItem>, CancellationToken, Task<Predicate<TItem>>> write, Action<Exception, int> failed, CancellationToken stoppingToken)
    {
        var batch = new List<Waiting>();
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < Math.Max(1, batchSize) && _queue.Reader.TryRead(out var next))
                {
                    batch.Add(next);
                }

                try
                {
                    var written = await write([.. batch.Select(w => w.Item)], stoppingToken);
                    foreach (var waiting in batch)
                    {
                        waiting.Done.TrySetResult(written(waiting.Item));
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Whatever the failure, these items are not on record: each waiter is refused.
                    failed(ex, batch.Count);
                    var refusal = new GroupCommitException(stopped: false, ex);
                    foreach (var waiting in batch)
                    {
                        waiting.Done.TrySetException(refusal);
                    }
                }

                batch.Clear();
            }
        }
        finally
        {
            // Stopping: whoever still waits is refused, never released unrecorded.
            _queue.Writer.TryComplete();
            var stopping = new GroupCommitException(stopped: true);
            foreach (var waiting in batch)
            {
                waiting.Done.TrySetException(stopping);
            }

            while (_queue.Reader.TryRead(out var left))
            {
                left.Done.TrySetException(stopping);
            }
        }
    }

    private sealed record Waiting(TItem Item, TaskCompletionSource<bool> Done);
}
