namespace Enforcement.Media.Ingest.Media.Tools;

/// <summary>
/// Runs ffmpeg or ffprobe as a process: the one way either tool is run. A seam: the one implementation
/// drives Debian's ffmpeg package (<see cref="FfmpegToolRunner"/>, which says why it is not FFMpegCore's).
/// </summary>
public interface IMediaToolRunner
{
    /// <summary>
    /// Runs the tool to completion and returns what it wrote to stdout. A non-zero exit throws
    /// <see cref="MediaToolException"/> (command line, exit code, stderr tail); a tool that cannot be
    /// started throws <see cref="MediaToolUnavailableException"/>. Cancelling stops the tool — gracefully
    /// first, so ffmpeg can finish its output file — and then throws <see cref="OperationCanceledException"/>.
    /// </summary>
    Task<MediaToolResult> RunAsync(MediaTool tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken);

    /// <summary>The tool's version (e.g. <c>5.1.9-0+deb12u1</c>), detected once with <c>-version</c> and cached.</summary>
    Task<string> GetVersionAsync(MediaTool tool, CancellationToken cancellationToken);
}
