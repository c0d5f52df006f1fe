namespace Enforcement.Media.Ingest.Media.Tools;

/// <summary>
/// ffmpeg or ffprobe ran and failed. Callers act on it: the stderr tail is ffmpeg's own reason,
/// recorded as why a recording is unplayable or a rendition failed.
/// </summary>
public sealed class MediaToolException : Exception
{
    public MediaToolException(MediaTool tool, string commandLine, int exitCode, string standardErrorTail, string? problem = null)
        : base($"{ToolName(tool)} {problem ?? $"exited with code {exitCode}"}: {commandLine}{(standardErrorTail.Length > 0 ? Environment.NewLine + standardErrorTail : string.Empty)}")
    {
        Tool = tool;
        CommandLine = commandLine;
        ExitCode = exitCode;
        StandardErrorTail = standardErrorTail;
    }

    public MediaTool Tool { get; }

    public string CommandLine { get; }

    public int ExitCode { get; }

    public string StandardErrorTail { get; }

    /// <summary>The stderr tail, or the exit code when the tool said nothing: a reason to show a person.</summary>
    public string Reason => StandardErrorTail.Length > 0 ? StandardErrorTail : $"{ToolName(Tool)} exited with code {ExitCode} without a message";

    internal static string ToolName(MediaTool tool) => tool == MediaTool.Ffmpeg ? "ffmpeg" : "ffprobe";
}
