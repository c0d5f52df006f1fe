using Enforcement.Media.Storage.Media;
using Enforcement.Media.Storage.Objects;

namespace Enforcement.Media.Ingest.Media.Sources;

/// <summary>Finds a recording's original in the catalogue and exposes it (or another of the recording's objects) to the media tools through the loopback server.</summary>
public sealed class OriginalSources(MediaProbeStore probes, IEvidenceStore store, LoopbackObjectServer server)
{
    public async Task<RecordingOriginal> FindAsync(Guid recordingId, CancellationToken cancellationToken)
    {
        var original = await probes.FindOriginalAsync(recordingId, cancellationToken)
            ?? throw new InvalidOperationException($"Recording {recordingId} is not in the catalogue.");
        if (original.Store != store.Name)
        {
            // Another process configured with that store must do it; this one cannot read it.
            throw new InvalidOperationException($"Recording {recordingId} is kept in {original.Store}, but this process uses {store.Name}.");
        }

        return original;
    }

    /// <summary>Dispose the result as soon as the tool is done: that revokes the address.</summary>
    public Task<ExposedObject> ExposeAsync(RecordingOriginal original, TimeSpan lifetime, CancellationToken cancellationToken) =>
        ExposeAsync(original.Location, lifetime, cancellationToken);

    /// <summary>Any object of this store, e.g. a redacted output read to make its publication copy.</summary>
    public Task<ExposedObject> ExposeAsync(ObjectRef location, TimeSpan lifetime, CancellationToken cancellationToken) =>
        server.ExposeAsync(location, lifetime, cancellationToken);
}
