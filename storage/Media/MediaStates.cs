namespace Enforcement.Media.Storage.Media;

/// <summary>The <c>recordings.media_state</c> values (migration 0004).</summary>
public static class MediaStates
{
    /// <summary>Not probed yet.</summary>
    public const string Unprobed = "unprobed";

    public const string Probed = "probed";

    /// <summary>ffprobe could not read it, or found nothing playable: the reason is in <c>media_probes</c>.</summary>
    public const string Unplayable = "unplayable";
}
