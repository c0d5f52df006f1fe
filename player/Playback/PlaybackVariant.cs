namespace Enforcement.Media.Player.Playback;

/// <summary>What a session streams (<c>playback_sessions.variant</c>).</summary>
public static class PlaybackVariant
{
    /// <summary>The current playback derivative (H.264/AAC MP4): what reviewers watch.</summary>
    public const string Rendition = "rendition";

    /// <summary>The byte-exact original, for the roles that may fetch originals (legal reviewers, supervisors).</summary>
    public const string Original = "original";

    /// <summary>The rendered output of one redaction: all the publication office may watch.</summary>
    public const string Redacted = "redacted";
}
