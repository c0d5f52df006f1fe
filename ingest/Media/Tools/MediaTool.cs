namespace Enforcement.Media.Ingest.Media.Tools;

/// <summary>The two programs of Debian's ffmpeg package this service drives.</summary>
public enum MediaTool
{
    Ffmpeg,
    Ffprobe,
}
