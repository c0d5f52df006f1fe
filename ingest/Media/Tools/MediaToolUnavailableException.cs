namespace Enforcement.Media.Ingest.Media.Tools;

/// <summary>
/// The tool could not be started at all (not installed, wrong path). Unlike <see cref="MediaToolException"/>
/// this says nothing about the media: a job that meets it must be retried, never mark a recording unplayable.
/// </summary>
public sealed class MediaToolUnavailableException(MediaTool tool, string path, Exception inner)
    : Exception($"{MediaToolException.ToolName(tool)} could not be started from '{path}' ({inner.Message}). Install Debian's ffmpeg package or set {MediaOptions.Section}:{(tool == MediaTool.Ffmpeg ? nameof(MediaOptions.FfmpegPath) : nameof(MediaOptions.FfprobePath))}.", inner)
{
    public MediaTool Tool { get; } = tool;
}
