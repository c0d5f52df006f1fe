namespace Enforcement.Media.Storage.Media;

/// <summary>What an original turned out to be when probed. Stored lowercase in the catalogue.</summary>
public enum MediaKind
{
    /// <summary>Nothing ffprobe could read as audio, video or a picture.</summary>
    Unknown,
    Video,
    Audio,

    /// <summary>A still image (JPEG, PNG, …): it gets thumbnails, never a playback rendition.</summary>
    Photo,
}
