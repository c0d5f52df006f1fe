namespace Enforcement.Media.Storage.Media;

/// <summary>What a derivative is for. Stored in <c>derivations.role</c> (migration 0006).</summary>
public enum DerivationRole
{
    /// <summary>The H.264/AAC MP4 (or AAC-only MP4) the player streams. Object kind <c>rendition</c>.</summary>
    Playback,

    /// <summary>One still image shown before playback. Object kind <c>thumbnail</c>.</summary>
    Poster,

    /// <summary>Frames every few seconds tiled into one image, for the seek bar. Object kind <c>sprite</c>.</summary>
    SpriteSheet,

    /// <summary>The WebVTT track mapping each interval to its tile of the sheet. Object kind <c>sprite</c>.</summary>
    SpriteTrack,

    /// <summary>A redaction rendered from the original: blurred regions and frames, muted or bleeped audio. Object kind <c>redacted</c>.</summary>
    Redacted,

    /// <summary>The copy of a redacted output the public sees, the publication's watermark burned in. Object kind <c>redacted</c>.</summary>
    Publication,
}
