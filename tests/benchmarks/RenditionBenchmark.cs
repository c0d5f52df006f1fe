using System.Diagnostics;
using System.Globalization;
using Enforcement.Media.Ingest.Media;
using Enforcement.Media.Ingest.Media.Renditions;
using Enforcement.Media.Ingest.Media.Sources;
using Enforcement.Media.Ingest.Media.Tools;
using Enforcement.Media.Storage.Media;
using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Storage.Objects.FileSystem;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Benchmarks;

/// <summary>
/// The rendition benchmark, on generated 1080p30 H.264/AAC footage:
/// <list type="bullet">
/// <item>remux speed as × real time — the production arguments, ffmpeg reading the original from the
/// evidence store through the loopback server, as the rendition job does;</item>
/// <item>transcode speed through the runner against the bare ffmpeg command with identical arguments,
/// as a ratio (wrapper overhead; target ≤ 1.05);</item>
/// <item>the same transcode reading through the loopback server, against the bare command on the file.</item>
/// </list>
/// Usage: <c>dotnet run -c Release --project tests/benchmarks -- renditions [--seconds 60] [--lines 1080] [--runs 3]</c>
/// </summary>
internal static class RenditionBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = Option(args, "--seconds", 60);
        var lines = Option(args, "--lines", 1080);
        var runs = Option(args, "--runs", 3);
        var work = Directory.CreateTempSubdirectory("em-rendition-bench-").FullName;
        try
        {
            await RunAsync(work, seconds, lines, runs);
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task RunAsync(string work, int seconds, int lines, int runs)
    {
        var cancel = CancellationToken.None;
        var options = new MediaOptions { MaxLines = lines };
        var runner = new FfmpegToolRunner(Options.Create(options), NullLogger<FfmpegToolRunner>.Instance);
        Console.WriteLine($"ffmpeg {await runner.GetVersionAsync(MediaTool.Ffmpeg, cancel)}, {Environment.ProcessorCount} cores; {seconds} s of 1080p30 H.264 8 Mbit/s + AAC; best of {runs} runs");

        var footage = Path.Combine(work, "A0001_123456_20261122080000.mp4");
        var generation = Stopwatch.StartNew();
        await BareAsync(
            [
                "-hide_banner", "-nostdin", "-v", "error", "-y",
                "-f", "lavfi", "-i", $"testsrc2=s=1920x1080:r=30:d={seconds}", "-f", "lavfi", "-i", $"sine=f=440:sample_rate=48000:d={seconds}",
                "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "8M", "-maxrate", "8M", "-bufsize", "16M", "-g", "30", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-b:a", "128k", "-shortest", footage,
            ]);
        Console.WriteLine($"generated {new FileInfo(footage).Length / 1e6:F0} MB in {generation.Elapsed.TotalSeconds:F1} s");

        // The footage as evidence: in a filesystem store, read through the loopback server like the jobs do.
        var store = new FileSystemEvidenceStore(Options.Create(new FileSystemStoreOptions { Root = Path.Combine(work, "store") }), TimeProvider.System, NullLogger<FileSystemEvidenceStore>.Instance);
        await store.EnsureReadyAsync(cancel);
        SealedObject original;
        await using (var file = File.OpenRead(footage))
        {
            var pending = await store.WriteAsync(ObjectWrite.New(ObjectKind.Original, "video/mp4"), file, null, cancel);
            original = await store.SealAsync(pending, new ObjectLock(TimeProvider.System.GetUtcNow().AddDays(1)), cancel);
        }

        await using var server = new LoopbackObjectServer(store, TimeProvider.System, NullLogger<LoopbackObjectServer>.Instance);
        using var exposed = await server.ExposeAsync(original.Location, TimeSpan.FromHours(4), cancel);
        var url = exposed.Uri.ToString();

        var probe = new MediaProbe(
            MediaKind.Video, "mov,mp4,m4a,3gp,3g2,mj2", null, seconds, null, 2,
            new VideoStreamInfo(0, "h264", "High", "yuv420p", 8, 1920, 1080, 0, "30/1", "30/1", 30, false, "progressive", false),
            new AudioStreamInfo(1, "aac", "LC", 1, 48000), null, null);
        var remuxPlan = RenditionPolicy.Plan(probe, options);
        var output = Path.Combine(work, "out.mp4");

        var remux = await BestAsync(runs, () => runner.RunAsync(MediaTool.Ffmpeg, ["-y", .. RenditionArguments.Build(remuxPlan, options, url, output)], cancel));
        var bareRemux = await BestAsync(runs, () => BareAsync(["-y", .. RenditionArguments.Build(remuxPlan, options, footage, output)]));
        Console.WriteLine();
        Console.WriteLine($"remux via loopback server : {remux.TotalSeconds,7:F2} s  = {seconds / remux.TotalSeconds,6:F0}× real time");
        Console.WriteLine($"remux, bare ffmpeg on file: {bareRemux.TotalSeconds,7:F2} s  = {seconds / bareRemux.TotalSeconds,6:F0}× real time");

        // Force the transcode path with production settings (x264 preset, CRF, scale to the maximum lines).
        var transcodePlan = remuxPlan with
        {
            Method = RenditionMethod.Transcode,
            CopyVideo = false,
            Size = new FrameSize(1920, 1080).FitWithin(RenditionPolicy.MaxBox(probe.Video!, options).Width, RenditionPolicy.MaxBox(probe.Video!, options).Height),
        };
        string[] onFile = ["-y", .. RenditionArguments.Build(transcodePlan, options, footage, output)];
        TimeSpan wrapped = TimeSpan.MaxValue, bare = TimeSpan.MaxValue;
        for (var i = 0; i < runs; i++)
        {
            // Alternate, so drift in machine load hits both alike.
            bare = Min(bare, await TimeAsync(() => BareAsync(onFile)));
            wrapped = Min(wrapped, await TimeAsync(() => runner.RunAsync(MediaTool.Ffmpeg, onFile, cancel)));
        }

        var viaServer = await BestAsync(runs, () => runner.RunAsync(MediaTool.Ffmpeg, ["-y", .. RenditionArguments.Build(transcodePlan, options, url, output)], cancel));
        Console.WriteLine();
        Console.WriteLine($"transcode to {transcodePlan.Size} {options.X264Preset} crf {options.X264Crf}:");
        Console.WriteLine($"  bare ffmpeg                : {bare.TotalSeconds,7:F2} s  = {seconds / bare.TotalSeconds,5:F2}× real time");
        Console.WriteLine($"  through the runner         : {wrapped.TotalSeconds,7:F2} s  = {seconds / wrapped.TotalSeconds,5:F2}× real time");
        Console.WriteLine($"  runner + loopback server   : {viaServer.TotalSeconds,7:F2} s  = {seconds / viaServer.TotalSeconds,5:F2}× real time");
        Console.WriteLine($"  wrapper overhead ratio     : {wrapped / bare:F3} (target ≤ 1.05)");
        Console.WriteLine($"  with loopback input, ratio : {viaServer / bare:F3}");
    }

    /// <summary>
    /// ffmpeg started as a shell would, its output going straight to the console and nothing read from
    /// its pipes; only stdin is a pipe (left empty), as under the runner, so the arguments can be identical.
    /// </summary>
    private static async Task BareAsync(IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo("ffmpeg") { UseShellExecute = false, RedirectStandardInput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("ffmpeg did not start");
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg exited with {process.ExitCode}: {CommandLines.Format("ffmpeg", arguments)}");
        }
    }

    private static async Task<TimeSpan> BestAsync(int runs, Func<Task> run)
    {
        var best = TimeSpan.MaxValue;
        for (var i = 0; i < runs; i++)
        {
            best = Min(best, await TimeAsync(run));
        }

        return best;
    }

    private static async Task<TimeSpan> TimeAsync(Func<Task> run)
    {
        var watch = Stopwatch.StartNew();
        await run();
        return watch.Elapsed;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
