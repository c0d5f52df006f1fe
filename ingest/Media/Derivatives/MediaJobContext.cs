using Enforcement.Media.Ingest.Media.Sources;
using Enforcement.Media.Storage.Media;

namespace Enforcement.Media.Ingest.Media.Derivatives;

/// <summary>
/// Everything one media job works with: the original, its probe, the object ffmpeg reads (the original,
/// or another object of the recording) exposed to it, and a private work folder. Disposing it revokes
/// the exposure and removes the folder.
/// </summary>
public sealed class MediaJobContext(RecordingOriginal original, ProbeResult probe, ExposedObject source, MediaWorkFolder work, long jobId, bool remake, MediaInput? input = null) : IDisposable
{
    public RecordingOriginal Original { get; } = original;

    /// <summary>The original's probe.</summary>
    public ProbeResult Probe { get; } = probe;

    /// <summary><see cref="Input"/> made readable to ffmpeg.</summary>
    public ExposedObject Source { get; } = source;

    /// <summary>What <see cref="Source"/> serves: the original unless the job reads another object.</summary>
    public MediaInput Input { get; } = input ?? MediaInput.Original(original);

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
