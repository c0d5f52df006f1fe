namespace Enforcement.Media.Storage.Jobs;

public static class JobPools
{
    /// <summary>Light work: probes, catalogue updates, archiving finished uploads, export packages.</summary>
    public const string Default = "default";

    /// <summary>ffmpeg transcodes and thumbnails: at most cores − 1 at once by default.</summary>
    public const string Media = "media";
}
