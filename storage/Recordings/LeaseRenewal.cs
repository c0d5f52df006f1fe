using Npgsql;

namespace Enforcement.Media.Storage.Recordings;

/// <summary>Keeps a long write's pending row leased while its bytes stream (multi-GB files take minutes).</summary>
/// <remarks>
/// If the catalogue is unreachable for longer than the lease, recovery in another process may
/// abandon this write; the write then fails and the untouched source is delivered again.
/// </remarks>
internal sealed class LeaseRenewal : IDisposable
{
    private readonly CancellationTokenSource _stop = new();

    public LeaseRenewal(PendingWriteStore pendingWrites, Guid writeId, string owner, TimeSpan lease)
    {
        _ = RenewAsync(pendingWrites, writeId, owner, lease, _stop.Token);
    }

    private static async Task RenewAsync(PendingWriteStore pendingWrites, Guid writeId, string owner, TimeSpan lease, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(lease / 3);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await pendingWrites.RenewAsync(writeId, owner, lease, cancellationToken);
                }
                catch (NpgsqlException)
                {
                    // Try again on the next tick; the lease is three ticks long.
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The write finished.
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }
}
