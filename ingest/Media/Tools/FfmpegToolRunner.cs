using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Ingest.Media.Tools;

/// <summary>
/// Drives Debian's ffmpeg and ffprobe: arguments as a list (never a shell string), stdout and stderr
/// drained concurrently (a full pipe would block the tool forever), a bounded stderr tail, and on
/// cancellation <c>q</c> on stdin — ffmpeg's own "stop and finish the file" — then, after a grace
/// period, the process tree killed.
/// </summary>
/// <remarks>
/// Hand-written because FFMpegCore's process pipeline (FFMpegArgumentProcessor and FFProbe.AnalyseAsync,
/// both on Instances 3.1) cannot keep these guarantees: it joins the arguments into one command string
/// with each path in bare double quotes, so a value holding <c>"</c> or ending in <c>\</c> reaches ffmpeg
/// as something else and the list recorded as provenance would not be what ran; it keeps every line the
/// tool writes in memory; on cancellation it kills only the process it started, then waits for the pipes
/// a surviving child still holds; and it finds the tool by folder and fixed name, falling back to any
/// <c>ffmpeg</c> on PATH instead of <c>Media:FfmpegPath</c>.
/// </remarks>
public sealed partial class FfmpegToolRunner(IOptions<MediaOptions> options, ILogger<FfmpegToolRunner> logger) : IMediaToolRunner
{
    /// <summary>ffprobe's JSON for any real file is far smaller; a tool writing more is not doing what it was asked.</summary>
    public const int MaxStandardOutputBytes = 256 * 1024 * 1024;

    private readonly ConcurrentDictionary<MediaTool, Task<string>> _versions = new();

    public async Task<MediaToolResult> RunAsync(MediaTool tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var program = PathOf(tool);
        var commandLine = CommandLines.Format(program, arguments);
        var start = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new MediaToolUnavailableException(tool, program, ex);
        }

        LogStarted(process.Id, commandLine);
        var started = Stopwatch.GetTimestamp();
        var tail = new StandardErrorTail();

        // Both pipes are drained until the tool closes them, whatever happens to the caller's token:
        // they end when the process does.
        var stdout = DrainAsync(process.StandardOutput.BaseStream);
        var stderr = tail.CollectAsync(process.StandardError, CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            await StopAsync(process, tool);
            await Task.WhenAll(Quietly(stdout), Quietly(stderr));
            throw;
        }

        var output = await stdout;
        await stderr;
        var elapsed = Stopwatch.GetElapsedTime(started);
        LogFinished(process.Id, process.ExitCode, elapsed.TotalMilliseconds);

        if (process.ExitCode != 0)
        {
            throw new MediaToolException(tool, commandLine, process.ExitCode, tail.ToString());
        }

        if (output is null)
        {
            throw new MediaToolException(tool, commandLine, process.ExitCode, tail.ToString(), $"wrote more than {MaxStandardOutputBytes} bytes to stdout");
        }

        return new MediaToolResult(commandLine, process.ExitCode, output, tail.ToString());
    }

    public async Task<string> GetVersionAsync(MediaTool tool, CancellationToken cancellationToken)
    {
        // Detected once per tool and shared by every caller; a failed detection is forgotten so the
        // next caller tries again (the tool may have been installed meanwhile).
        var detection = _versions.GetOrAdd(tool, DetectVersionAsync);
        try
        {
            return await detection.WaitAsync(cancellationToken);
        }
        catch (Exception) when (detection.IsFaulted)
        {
            _versions.TryRemove(KeyValuePair.Create(tool, detection));
            throw;
        }
    }

    private async Task<string> DetectVersionAsync(MediaTool tool)
    {
        // Not tied to one caller's token: other callers wait for the same detection.
        var result = await RunAsync(tool, ["-hide_banner", "-version"], CancellationToken.None);
        var firstLine = Encoding.UTF8.GetString(result.StandardOutput).Split('\n', 2)[0];
        var match = VersionLine().Match(firstLine);
        var version = match.Success ? match.Groups["version"].Value : firstLine.Trim();
        var name = MediaToolException.ToolName(tool);
        LogVersion(name, version);
        return version;
    }

    private string PathOf(MediaTool tool) => tool switch
    {
        MediaTool.Ffmpeg => options.Value.FfmpegPath,
        MediaTool.Ffprobe => options.Value.FfprobePath,
        _ => throw new ArgumentOutOfRangeException(nameof(tool), tool, null),
    };

    /// <summary>Reads stdout to its end; null when it outgrew <see cref="MaxStandardOutputBytes"/> (the rest is still drained).</summary>
    private static async Task<byte[]?> DrainAsync(Stream stdout)
    {
        using var kept = new MemoryStream();
        var buffer = new byte[81920];
        var overflow = false;
        int read;
        while ((read = await stdout.ReadAsync(buffer, CancellationToken.None)) > 0)
        {
            if (!overflow && kept.Length + read <= MaxStandardOutputBytes)
            {
                await kept.WriteAsync(buffer.AsMemory(0, read), CancellationToken.None);
            }
            else
            {
                overflow = true;
            }
        }

        return overflow ? null : kept.ToArray();
    }

    /// <summary>
    /// Asks ffmpeg to stop as a user at its console would (<c>q</c>), which lets it write the trailer of
    /// its output; ffprobe, or an ffmpeg that does not answer within the grace period, is killed with
    /// its whole process tree.
    /// </summary>
    private async Task StopAsync(Process process, MediaTool tool)
    {
        var name = MediaToolException.ToolName(tool);
        if (tool == MediaTool.Ffmpeg)
        {
            try
            {
                await process.StandardInput.WriteAsync('q');
                await process.StandardInput.FlushAsync(CancellationToken.None);
            }
            catch (IOException)
            {
                // stdin already closed: the tool is exiting or ignores it (-nostdin).
            }

            using var grace = new CancellationTokenSource(options.Value.StopGracePeriod);
            try
            {
                await process.WaitForExitAsync(grace.Token);
                LogStopped(process.Id, name);
                return;
            }
            catch (OperationCanceledException)
            {
                // Did not stop in time: kill it below.
            }
        }

        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Exited on its own between the check and the kill.
        }

        await process.WaitForExitAsync(CancellationToken.None);
        LogKilled(process.Id, name);
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // A killed process's pipes can break mid-read; the run is being abandoned anyway.
        }
    }

    [GeneratedRegex(@"^\S+ version (?<version>\S+)")]
    private static partial Regex VersionLine();

    // Command lines are logged at Debug only: they hold the loopback address (a short-lived token) of the original.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Started process {ProcessId}: {CommandLine}")]
    private partial void LogStarted(int processId, string commandLine);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Process {ProcessId} exited with {ExitCode} after {ElapsedMs:F0} ms")]
    private partial void LogFinished(int processId, int exitCode, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopped {Tool} process {ProcessId} on request")]
    private partial void LogStopped(int processId, string tool);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Killed {Tool} process {ProcessId}, which did not stop when asked")]
    private partial void LogKilled(int processId, string tool);

    [LoggerMessage(Level = LogLevel.Information, Message = "Using {Tool} version {Version}")]
    private partial void LogVersion(string tool, string version);
}
