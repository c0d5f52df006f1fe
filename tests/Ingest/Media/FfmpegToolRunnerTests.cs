using System.Security.Cryptography;
using System.Text;
using Enforcement.Media.Ingest.Media;
using Enforcement.Media.Ingest.Media.Tools;
using Enforcement.Media.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Tests.Ingest.Media;

/// <summary>The runner against Debian's real ffmpeg and ffprobe.</summary>
public sealed class FfmpegToolRunnerTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _folder.Dispose();

    private static FfmpegToolRunner Runner(MediaOptions? options = null) =>
        new(Options.Create(options ?? new MediaOptions()), NullLogger<FfmpegToolRunner>.Instance);

    [Fact]
    public async Task A_failing_command_throws_with_its_command_line_exit_code_and_ffmpegs_reason()
    {
        var missing = _folder.Combine("no such clip.mp4");

        var failure = await Assert.ThrowsAsync<MediaToolException>(() =>
            Runner().RunAsync(MediaTool.Ffmpeg, ["-hide_banner", "-i", missing, "-f", "null", "-"], Token));

        Assert.Equal(MediaTool.Ffmpeg, failure.Tool);
        Assert.NotEqual(0, failure.ExitCode);
        Assert.Contains("No such file or directory", failure.StandardErrorTail, StringComparison.Ordinal);
        Assert.Contains($"'{missing}'", failure.CommandLine, StringComparison.Ordinal);
        Assert.Contains($"exited with code {failure.ExitCode}", failure.Message, StringComparison.Ordinal);
        Assert.Contains("No such file or directory", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Megabytes_of_stdout_are_read_in_full_while_a_chatty_stderr_is_drained()
    {
        // 320×240 RGB × 40 frames = 9,216,000 bytes on stdout, and a debug-level log on stderr: a runner
        // that read one pipe after the other would deadlock once the other pipe's buffer filled.
        string[] arguments = ["-hide_banner", "-loglevel", "debug", "-f", "lavfi", "-i", "testsrc2=s=320x240:r=10", "-frames:v", "40", "-f", "rawvideo", "-pix_fmt", "rgb24"];
        var file = _folder.Combine("frames.rgb");
        await Footage.FfmpegAsync(Token, [.. arguments[3..], file]);

        var result = await Runner().RunAsync(MediaTool.Ffmpeg, [.. arguments, "-"], Token);

        Assert.Equal(320 * 240 * 3 * 40, result.StandardOutput.Length);
        Assert.Equal(SHA256.HashData(await File.ReadAllBytesAsync(file, Token)), SHA256.HashData(result.StandardOutput));
        Assert.NotEmpty(result.StandardErrorTail);
        Assert.True(result.StandardErrorTail.Split('\n').Length <= StandardErrorTail.DefaultMaxLines + 1);
    }

    [Fact]
    public async Task Cancelling_asks_ffmpeg_to_stop_so_the_file_it_was_writing_is_finished_and_readable()
    {
        var output = _folder.Combine("interrupted.mp4");
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var run = Runner().RunAsync(
            MediaTool.Ffmpeg,
            ["-hide_banner", "-re", "-f", "lavfi", "-i", "testsrc2=s=160x120:r=10", "-c:v", "libx264", "-preset", "ultrafast", output],
            cancel.Token);
        await WaitForAsync(() => File.Exists(output) && new FileInfo(output).Length > 0);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

        // Killed mid-way, an MP4 has no index (moov) and nothing can read it; stopped with "q" it is complete.
        var probe = await Runner().RunAsync(MediaTool.Ffprobe, ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", output], Token);
        Assert.True(double.Parse(Encoding.UTF8.GetString(probe.StandardOutput), System.Globalization.CultureInfo.InvariantCulture) > 0);
    }

    [Fact]
    public async Task Cancelling_kills_a_tool_that_ignores_the_stop_request()
    {
        var marker = $"runner-test-{Guid.NewGuid():N}";
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token);

        // -nostdin: this ffmpeg never reads the "q", so only the kill can end it.
        var run = Runner(new MediaOptions { StopGracePeriod = TimeSpan.FromMilliseconds(300) }).RunAsync(
            MediaTool.Ffmpeg,
            ["-hide_banner", "-nostdin", "-re", "-f", "lavfi", "-i", "testsrc2=s=160x120:r=10", "-metadata", $"title={marker}", "-f", "null", "-"],
            cancel.Token);
        await WaitForAsync(() => ProcessesWith(marker).Count > 0);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Empty(ProcessesWith(marker));
    }

    [Fact]
    public async Task Cancelling_kills_the_whole_process_tree_not_only_the_process_it_started()
    {
        // Media:FfmpegPath may name a wrapper (nice, a sandbox, a script) that runs ffmpeg as its child. Killing
        // only the wrapper would leave ffmpeg running, holding the pipes the run waits on.
        var marker = $"runner-tree-test-{Guid.NewGuid():N}";
        var wrapper = _folder.Combine("wrapping-ffmpeg");
        await File.WriteAllTextAsync(wrapper, "#!/bin/sh\nffmpeg \"$@\"\n", Token);
        File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var run = Runner(new MediaOptions { FfmpegPath = wrapper, StopGracePeriod = TimeSpan.FromMilliseconds(300) }).RunAsync(
            MediaTool.Ffmpeg,
            ["-hide_banner", "-nostdin", "-re", "-f", "lavfi", "-i", "testsrc2=s=160x120:r=10", "-metadata", $"title={marker}", "-f", "null", "-"],
            cancel.Token);
        await WaitForAsync(() => ProcessesWith(marker).Count >= 2);

        await cancel.CancelAsync();

        try
        {
            // Bounded: a runner that left the child running would wait on its pipes for ever.
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(TimeSpan.FromMinutes(1), Token));
            Assert.Empty(ProcessesWith(marker));
        }
        finally
        {
            foreach (var left in ProcessesWith(marker))
            {
                using var process = System.Diagnostics.Process.GetProcessById(left);
                process.Kill();
            }
        }
    }

    [Fact]
    public async Task A_tool_that_cannot_be_started_is_reported_as_unavailable_not_as_a_media_failure()
    {
        var runner = Runner(new MediaOptions { FfprobePath = _folder.Combine("no-ffprobe-here") });

        var failure = await Assert.ThrowsAsync<MediaToolUnavailableException>(() => runner.RunAsync(MediaTool.Ffprobe, ["-version"], Token));

        Assert.Contains("Media:FfprobePath", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Arguments_reach_the_tool_exactly_as_given_and_are_never_interpreted_by_a_shell()
    {
        var name = "it's a \"clip\" $(touch pwned) ; rm -rf x & 视频.mp4";
        var output = _folder.Combine(name);

        await Runner().RunAsync(
            MediaTool.Ffmpeg,
            ["-hide_banner", "-f", "lavfi", "-i", "testsrc2=s=64x64:d=0.2", "-c:v", "libx264", "-preset", "ultrafast", output],
            Token);

        Assert.True(File.Exists(output));
        Assert.Equal([name], Directory.GetFiles(_folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task The_ffmpeg_version_is_detected_once_and_shared_by_every_caller()
    {
        // A wrapper that counts its invocations and then runs the real ffmpeg.
        var counter = _folder.Combine("count");
        var wrapper = _folder.Combine("counting-ffmpeg");
        await File.WriteAllTextAsync(wrapper, $"#!/bin/sh\necho run >> '{counter}'\nexec ffmpeg \"$@\"\n", Token);
        File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var runner = Runner(new MediaOptions { FfmpegPath = wrapper });

        var versions = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => runner.GetVersionAsync(MediaTool.Ffmpeg, Token)));
        var again = await runner.GetVersionAsync(MediaTool.Ffmpeg, Token);

        Assert.Single(await File.ReadAllLinesAsync(counter, Token));
        Assert.All(versions, v => Assert.Equal(again, v));
        Assert.Matches(@"^\d+\.\d+", again);
        var direct = await Runner().RunAsync(MediaTool.Ffmpeg, ["-version"], Token);
        Assert.StartsWith($"ffmpeg version {again} ", Encoding.UTF8.GetString(direct.StandardOutput), StringComparison.Ordinal);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        while (!condition())
        {
            await Task.Delay(50, Token);
        }
    }

    private static List<int> ProcessesWith(string marker)
    {
        var found = new List<int>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid))
            {
                continue;
            }

            try
            {
                var commandLine = File.ReadAllText(Path.Combine(folder, "cmdline"));
                var state = File.ReadAllText(Path.Combine(folder, "stat")).Split(' ')[2];
                if (commandLine.Contains(marker, StringComparison.Ordinal) && state is not "Z" and not "X")
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
                // The process ended while being looked at.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return found;
    }
}
