using Enforcement.Media.Storage.Media;
using Enforcement.Media.Storage.Objects;

namespace Enforcement.Media.Ingest.Media.Sources;

/// <summary>Finds a recording's original in the catalogue and exposes it to the media tools through the loopback server.</summary>
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
        server.ExposeAsync(original.Location, lifetime, cancellationToken);
}
