using System.Diagnostics;
using Enforcement.Media.Ingest.Media.Tools;
using Enforcement.Media.Storage.Media;
using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Storage.Objects.FileSystem;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Benchmarks;

/// <summary>
/// What the ffmpeg benchmarks share: 1080p30 H.264 8 Mbit/s + AAC footage generated with lavfi and
/// stored as an original in a filesystem store, its probe, and bare ffmpeg runs to time against.
/// </summary>
internal static class FfmpegFootage
{
    public static async Task<string> GenerateAsync(string work, int seconds)
    {
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
        return footage;
    }

    /// <summary>The footage as evidence: in a filesystem store, to be read through the loopback server like the jobs do.</summary>
    public static async Task<(IEvidenceStore Store, SealedObject Original)> StoreAsync(string footage, string work)
    {
        var store = new FileSystemEvidenceStore(Options.Create(new FileSystemStoreOptions { Root = Path.Combine(work, "store") }), TimeProvider.System, NullLogger<FileSystemEvidenceStore>.Instance);
        await store.EnsureReadyAsync(CancellationToken.None);
        await using var file = File.OpenRead(footage);
        var pending = await store.WriteAsync(ObjectWrite.New(ObjectKind.Original, "video/mp4"), file, null, CancellationToken.None);
        return (store, await store.SealAsync(pending, new ObjectLock(TimeProvider.System.GetUtcNow().AddDays(1)), CancellationToken.None));
    }

    /// <summary>What the probe job finds in the generated footage.</summary>
    public static MediaProbe Probe(int seconds) => new(
        MediaKind.Video, "mov,mp4,m4a,3gp,3g2,mj2", null, seconds, null, 2,
        new VideoStreamInfo(0, "h264", "High", "yuv420p", 8, 1920, 1080, 0, "30/1", "30/1", 30, false, "progressive", false),
        new AudioStreamInfo(1, "aac", "LC", 1, 48000), null, null);

    /// <summary>
    /// ffmpeg started as a shell would, its output going straight to the console and nothing read from
    /// its pipes; only stdin is a pipe (left empty), as under the runner, so the arguments can be identical.
    /// </summary>
    public static async Task BareAsync(IReadOnlyList<string> arguments)
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

    public static async Task<TimeSpan> BestAsync(int runs, Func<Task> run)
    {
        var best = TimeSpan.MaxValue;
        for (var i = 0; i < runs; i++)
        {
            best = Min(best, await TimeAsync(run));
        }

        return best;
    }

    public static async Task<TimeSpan> TimeAsync(Func<Task> run)
    {
        var watch = Stopwatch.StartNew();
        await run();
        return watch.Elapsed;
    }

    public static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
