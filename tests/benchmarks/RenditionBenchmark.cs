using Enforcement.Media.Ingest.Media;
using Enforcement.Media.Ingest.Media.Renditions;
using Enforcement.Media.Ingest.Media.Sources;
using Enforcement.Media.Ingest.Media.Tools;
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
        var seconds = BenchmarkOptions.Int(args, "--seconds", 60);
        var lines = BenchmarkOptions.Int(args, "--lines", 1080);
        var runs = BenchmarkOptions.Int(args, "--runs", 3);
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

        var footage = await FfmpegFootage.GenerateAsync(work, seconds);
        var (store, original) = await FfmpegFootage.StoreAsync(footage, work);
        await using var server = new LoopbackObjectServer(store, TimeProvider.System, NullLogger<LoopbackObjectServer>.Instance);
        using var exposed = await server.ExposeAsync(original.Location, TimeSpan.FromHours(4), cancel);
        var url = exposed.Uri.ToString();

        var probe = FfmpegFootage.Probe(seconds);
        var remuxPlan = RenditionPolicy.Plan(probe, options);
        var output = Path.Combine(work, "out.mp4");

        var remux = await FfmpegFootage.BestAsync(runs, () => runner.RunAsync(MediaTool.Ffmpeg, ["-y", .. RenditionArguments.Build(remuxPlan, options, url, output)], cancel));
        var bareRemux = await FfmpegFootage.BestAsync(runs, () => FfmpegFootage.BareAsync(["-y", .. RenditionArguments.Build(remuxPlan, options, footage, output)]));
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
            bare = FfmpegFootage.Min(bare, await FfmpegFootage.TimeAsync(() => FfmpegFootage.BareAsync(onFile)));
            wrapped = FfmpegFootage.Min(wrapped, await FfmpegFootage.TimeAsync(() => runner.RunAsync(MediaTool.Ffmpeg, onFile, cancel)));
        }

        var viaServer = await FfmpegFootage.BestAsync(runs, () => runner.RunAsync(MediaTool.Ffmpeg, ["-y", .. RenditionArguments.Build(transcodePlan, options, url, output)], cancel));
        Console.WriteLine();
        Console.WriteLine($"transcode to {transcodePlan.Size} {options.X264Preset} crf {options.X264Crf}:");
        Console.WriteLine($"  bare ffmpeg                : {bare.TotalSeconds,7:F2} s  = {seconds / bare.TotalSeconds,5:F2}× real time");
        Console.WriteLine($"  through the runner         : {wrapped.TotalSeconds,7:F2} s  = {seconds / wrapped.TotalSeconds,5:F2}× real time");
        Console.WriteLine($"  runner + loopback server   : {viaServer.TotalSeconds,7:F2} s  = {seconds / viaServer.TotalSeconds,5:F2}× real time");
        Console.WriteLine($"  wrapper overhead ratio     : {wrapped / bare:F3} (target ≤ 1.05)");
        Console.WriteLine($"  with loopback input, ratio : {viaServer / bare:F3}");
    }
}
