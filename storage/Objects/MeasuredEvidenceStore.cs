using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Enforcement.Media.Storage.Objects;

/// <summary>
/// The evidence store, timed from outside (<see cref="StoreMetrics"/>): both implementations are measured
/// alike, and neither knows. While no metrics reader listens every call goes straight through; while one
/// does, a call costs a timestamp and one async state object besides the measurement itself.
/// </summary>
public sealed class MeasuredEvidenceStore(IEvidenceStore inner, string store, StoreMetrics metrics) : IEvidenceStore, IDisposable, IAsyncDisposable
{
    public string Name => inner.Name;

    public Task EnsureReadyAsync(CancellationToken cancellationToken) => metrics.Enabled
        ? TimeAsync("ensure_ready", inner, static (s, ct) => s.EnsureReadyAsync(ct), cancellationToken)
        : inner.EnsureReadyAsync(cancellationToken);

    public Task<PendingObject> WriteAsync(ObjectWrite write, Stream content, IProgress<long>? progress, CancellationToken cancellationToken) => metrics.Enabled
        ? TimeAsync("write", (inner, write, content, progress), static (s, ct) => s.inner.WriteAsync(s.write, s.content, s.progress, ct), cancellationToken)
        : inner.WriteAsync(write, content, progress, cancellationToken);

    public Task<SealedObject> SealAsync(PendingObject pending, ObjectLock objectLock, CancellationToken cancellationToken) => metrics.Enabled
        ? TimeAsync("seal", (inner, pending, objectLock), static (s, ct) => s.inner.SealAsync(s.pending, s.objectLock, ct), cancellationToken)
        : inner.SealAsync(pending, objectLock, cancellationToken);

    public Task DiscardAsync(PendingObject pending, CancellationToken cancellationToken) => metrics.Enabled
        ? TimeAsync("discard", (inner, pending), static (s, ct) => s.inner.DiscardAsync(s.pending, ct), cancellationToken)
        : inner.DiscardAsync(pending, cancellationToken);

    public Task AbandonAsync(ObjectWrite write, CancellationToken cancellationToken) => metrics.Enabled
        ? TimeAsync("abandon", (inner, write), static (s, ct) => s.inner.AbandonAsync(s.write, ct), cancellationToken)
        : inner.AbandonAsync(write, cancellationToken);

    public Task<ObjectHead?> HeadAsync(ObjectRef location, CancellationToken cancellationToken) => metrics.Enabled
        ? TimeAsync("head", (inner, location), static (s, ct) => s.inner.HeadAsync(s.location, ct), cancellationToken)
        : inner.HeadAsync(location, cancellationToken);

    public Task<Stream> OpenReadAsync(ObjectRef location, ByteRange? range, CancellationToken cancellationToken) => metrics.Enabled
        ? TimeAsync("open_read", (inner, location, range), static (s, ct) => s.inner.OpenReadAsync(s.location, s.range, ct), cancellationToken)
        : inner.OpenReadAsync(location, range, cancellationToken);

    public Task<ObjectRetention> GetRetentionAsync(ObjectRef location, CancellationToken cancellationToken) => metrics.Enabled
        ? TimeAsync("get_retention", (inner, location), static (s, ct) => s.inner.GetRetentionAsync(s.location, ct), cancellationToken)
        : inner.GetRetentionAsync(location, cancellationToken);

    public IAsyncEnumerable<ObjectRef> ListAsync(ObjectKind kind, CancellationToken cancellationToken) => metrics.Enabled
        ? ListTimedAsync(kind, cancellationToken)
        : inner.ListAsync(kind, cancellationToken);

    public Task<ObjectRetention> ExtendRetentionAsync(ObjectRef location, DateTimeOffset retainUntil, CancellationToken cancellationToken) => metrics.Enabled
        ? TimeAsync("extend_retention", (inner, location, retainUntil), static (s, ct) => s.inner.ExtendRetentionAsync(s.location, s.retainUntil, ct), cancellationToken)
        : inner.ExtendRetentionAsync(location, retainUntil, cancellationToken);

    public Task<ObjectRetention> SetLegalHoldAsync(ObjectRef location, bool enabled, CancellationToken cancellationToken) => metrics.Enabled
        ? TimeAsync("set_legal_hold", (inner, location, enabled), static (s, ct) => s.inner.SetLegalHoldAsync(s.location, s.enabled, ct), cancellationToken)
        : inner.SetLegalHoldAsync(location, enabled, cancellationToken);

    public Task DeleteAsync(ObjectRef location, CancellationToken cancellationToken) => metrics.Enabled
        ? TimeAsync("delete", (inner, location), static (s, ct) => s.inner.DeleteAsync(s.location, ct), cancellationToken)
        : inner.DeleteAsync(location, cancellationToken);

    public void Dispose() => (inner as IDisposable)?.Dispose();

    public ValueTask DisposeAsync()
    {
        if (inner is IAsyncDisposable asyncDisposable)
        {
            return asyncDisposable.DisposeAsync();
        }

        Dispose();
        return ValueTask.CompletedTask;
    }

    // The state is a value tuple and the call a static lambda: nothing is captured, nothing allocated for them.
    private async Task<T> TimeAsync<TState, T>(string operation, TState state, Func<TState, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var outcome = StoreMetrics.Failed;
        try
        {
            var result = await call(state, cancellationToken);
            outcome = StoreMetrics.Succeeded;
            return result;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            outcome = StoreMetrics.Cancelled;
            throw;
        }
        finally
        {
            metrics.Record(store, operation, outcome, started);
        }
    }

    private async Task TimeAsync<TState>(string operation, TState state, Func<TState, CancellationToken, Task> call, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var outcome = StoreMetrics.Failed;
        try
        {
            await call(state, cancellationToken);
            outcome = StoreMetrics.Succeeded;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            outcome = StoreMetrics.Cancelled;
            throw;
        }
        finally
        {
            metrics.Record(store, operation, outcome, started);
        }
    }

    /// <summary>The whole listing is one operation; a caller that stops early has still listed successfully.</summary>
    private async IAsyncEnumerable<ObjectRef> ListTimedAsync(ObjectKind kind, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var outcome = StoreMetrics.Succeeded;
        try
        {
            await using var listing = inner.ListAsync(kind, cancellationToken).GetAsyncEnumerator(cancellationToken);
            while (true)
            {
                try
                {
                    if (!await listing.MoveNextAsync())
                    {
                        break;
                    }
                }
                catch (Exception ex)
                {
                    outcome = ex is OperationCanceledException && cancellationToken.IsCancellationRequested ? StoreMetrics.Cancelled : StoreMetrics.Failed;
                    throw;
                }

                yield return listing.Current;
            }
        }
        finally
        {
            metrics.Record(store, "list", outcome, started);
        }
    }
}
