namespace Enforcement.Media.Ingest.Media.Renditions;

public enum RenditionMethod
{
    /// <summary>No playback rendition: unplayable media gets nothing.</summary>
    None,

    /// <summary>Streams copied into an MP4 with the index first: no re-encoding, seconds for an hour of footage.</summary>
    Remux,

    /// <summary>Re-encoded to H.264 yuv420p and/or AAC.</summary>
    Transcode,

    /// <summary>A photo's viewing copy: one JPEG, turned upright, without the original's metadata.</summary>
    Still,
}
