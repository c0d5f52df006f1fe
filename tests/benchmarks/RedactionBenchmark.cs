using Enforcement.Media.Ingest.Media;
using Enforcement.Media.Ingest.Media.Redactions;
using Enforcement.Media.Ingest.Media.Sources;
using Enforcement.Media.Ingest.Media.Tools;
using Enforcement.Media.Storage.Redactions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Benchmarks;

/// <summary>
/// The redaction benchmark, on generated 1080p30 H.264/AAC footage with three regions moving across it
/// (a key position a second, sizes changing) and a muted stretch: the product's graph and arguments
/// run through the runner with ffmpeg reading the original through the loopback server, as the
/// redaction job does, beside the bare ffmpeg command with the same graph on the file, as × real time
/// and as a ratio; and, for what the redaction itself costs, the same encode without it.
/// Usage: <c>dotnet run -c Release --project tests/benchmarks -- redaction [--seconds 60] [--runs 2]</c>
/// </summary>
internal static class RedactionBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = BenchmarkOptions.Int(args, "--seconds", 60);
        var runs = BenchmarkOptions.Int(args, "--runs", 2);
        var work = Directory.CreateTempSubdirectory("em-redaction-bench-").FullName;
        try
        {
            await RunAsync(work, seconds, runs);
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task RunAsync(string work, int seconds, int runs)
    {
        var cancel = CancellationToken.None;
        var options = new MediaOptions();
        var runner = new FfmpegToolRunner(Options.Create(options), NullLogger<FfmpegToolRunner>.Instance);
        Console.WriteLine($"ffmpeg {await runner.GetVersionAsync(MediaTool.Ffmpeg, cancel)}, {Environment.ProcessorCount} cores; {seconds} s of 1080p30 H.264 8 Mbit/s + AAC; best of {runs} runs");

        var footage = await FfmpegFootage.GenerateAsync(work, seconds);
        var (store, original) = await FfmpegFootage.StoreAsync(footage, work);
        await using var server = new LoopbackObjectServer(store, TimeProvider.System, NullLogger<LoopbackObjectServer>.Instance);
        using var exposed = await server.ExposeAsync(original.Location, TimeSpan.FromHours(4), cancel);

        var probe = FfmpegFootage.Probe(seconds);
        var source = RedactionSource.Of(probe);
        var spec = Spec(seconds);
        var graph = RedactionFilterGraph.Build(spec, source);
        Console.WriteLine($"3 regions, {spec.RegionList.Sum(r => r.KeyframeList.Count)} key positions: {graph.Branches} branches, a graph of {graph.Text.Length} characters");

        var output = Path.Combine(work, "redacted.mp4");
        string[] onFile = ["-y", .. RedactionArguments.Build(graph, source, options, footage, output, null)];
        string[] viaServer = ["-y", .. RedactionArguments.Build(graph, source, options, exposed.Uri.ToString(), output, null)];
        TimeSpan product = TimeSpan.MaxValue, bare = TimeSpan.MaxValue;
        for (var i = 0; i < runs; i++)
        {
            // Alternate, so drift in machine load hits both alike.
            bare = FfmpegFootage.Min(bare, await FfmpegFootage.TimeAsync(() => FfmpegFootage.BareAsync(onFile)));
            product = FfmpegFootage.Min(product, await FfmpegFootage.TimeAsync(() => runner.RunAsync(MediaTool.Ffmpeg, viaServer, cancel)));
        }

        // The same encode with nothing hidden: the redaction's own cost.
        var plain = RedactionFilterGraph.Build(new RedactionSpec(null, null, null), source);
        var unredacted = await FfmpegFootage.TimeAsync(() => FfmpegFootage.BareAsync(["-y", .. RedactionArguments.Build(plain, source, options, footage, output, null)]));

        Console.WriteLine();
        Console.WriteLine($"redaction via runner + loopback server : {product.TotalSeconds,7:F2} s  = {seconds / product.TotalSeconds,5:F2}× real time");
        Console.WriteLine($"bare ffmpeg, same graph, on the file   : {bare.TotalSeconds,7:F2} s  = {seconds / bare.TotalSeconds,5:F2}× real time");
        Console.WriteLine($"ratio product / bare                   : {product / bare:F3}");
        Console.WriteLine($"same encode without the redaction      : {unredacted.TotalSeconds,7:F2} s  = {seconds / unredacted.TotalSeconds,5:F2}× real time (redaction / plain: {bare / unredacted:F2})");
    }

    /// <summary>Three faces crossing the picture, a key position a second, growing and shrinking a little; half a second muted.</summary>
    private static RedactionSpec Spec(int seconds)
    {
        RedactionRegion Region(string shape, double startX, double y, double speed, double size) => new(
            shape,
            [.. Enumerable.Range(0, seconds + 1).Select(t => new RegionKeyframe(
                t,
                Math.Clamp(startX + (speed * t % 0.7), 0, 0.8),
                y,
                size * (1 + (0.1 * Math.Sin(t))),
                size * 1.6 * (1 + (0.1 * Math.Sin(t)))))]);
        return new RedactionSpec(
            [Region(RedactionRegion.Ellipse, 0.05, 0.2, 0.02, 0.08), Region(RedactionRegion.Ellipse, 0.3, 0.4, 0.015, 0.1), Region(RedactionRegion.Rectangle, 0.6, 0.6, 0.01, 0.12)],
            null,
            [new AudioRedaction(seconds / 3.0, (seconds / 3.0) + 0.5, AudioRedaction.Mute)]);
    }
}
