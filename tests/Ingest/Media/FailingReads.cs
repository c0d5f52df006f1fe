using Enforcement.Media.Storage.Objects;
using ByteRange = Enforcement.Media.Storage.Objects.ByteRange;

namespace Enforcement.Media.Tests.Ingest.Media;

/// <summary>A store whose reads break after some bytes, as an S3 connection dropping mid-object does.</summary>
public sealed class FailingReads(IEvidenceStore inner, long failAfter) : IEvidenceStore
{
    public string Name => inner.Name;

    public async Task<Stream> OpenReadAsync(ObjectRef location, ByteRange? range, CancellationToken cancellationToken) =>
        new BreakingStream(await inner.OpenReadAsync(location, range, cancellationToken), failAfter);

    public Task<ObjectHead?> HeadAsync(ObjectRef location, CancellationToken cancellationToken) => inner.HeadAsync(location, cancellationToken);

    public Task EnsureReadyAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<PendingObject> WriteAsync(ObjectWrite write, Stream content, IProgress<long>? progress, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<SealedObject> SealAsync(PendingObject pending, ObjectLock objectLock, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task DiscardAsync(PendingObject pending, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task AbandonAsync(ObjectWrite write, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ObjectRetention> GetRetentionAsync(ObjectRef location, CancellationToken cancellationToken) => throw new NotSupportedException();

    public IAsyncEnumerable<ObjectRef> ListAsync(ObjectKind kind, CancellationToken cancellationToken) => inner.ListAsync(kind, cancellationToken);

    public Task<ObjectRetention> ExtendRetentionAsync(ObjectRef location, DateTimeOffset retainUntil, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ObjectRetention> SetLegalHoldAsync(ObjectRef location, bool enabled, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task DeleteAsync(ObjectRef location, CancellationToken cancellationToken) => throw new NotSupportedException();
}
