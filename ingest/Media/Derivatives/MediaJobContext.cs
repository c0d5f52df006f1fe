using Enforcement.Media.Ingest.Media.Sources;
using Enforcement.Media.Storage.Media;

namespace Enforcement.Media.Ingest.Media.Derivatives;

/// <summary>
/// Everything one rendition or thumbnails job works with: the original, its probe, the original exposed
/// to ffmpeg, and a private work folder. Disposing it revokes the exposure and removes the folder.
/// </summary>
public sealed class MediaJobContext(RecordingOriginal original, ProbeResult probe, ExposedObject source, MediaWorkFolder work, long jobId, bool remake) : IDisposable
{
    public RecordingOriginal Original { get; } = original;

    public ProbeResult Probe { get; } = probe;

    public ExposedObject Source { get; } = source;

    public MediaWorkFolder Work { get; } = work;

    public long JobId { get; } = jobId;

    /// <summary>Make every derivative again even when one already exists (job payload <c>{"remake": true}</c>).</summary>
    public bool Remake { get; } = remake;

    public void Dispose()
    {
        Source.Dispose();
        Work.Dispose();
    }
}
