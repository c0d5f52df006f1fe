namespace Enforcement.Media.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project tests/benchmarks -- &lt;benchmark&gt; [options]</c>. Each benchmark
/// lives in its own file and prints its figures beside a baseline as a ratio.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var name = args.Length > 0 ? args[0] : string.Empty;
        var rest = args.Length > 0 ? args[1..] : [];
        switch (name)
        {
            case "audit":
                return await AuditBenchmark.RunAsync(rest, CancellationToken.None);
            case "streaming":
                return await StreamingBenchmark.RunAsync(rest, CancellationToken.None);
            case "renditions":
                return await RenditionBenchmark.RunAsync(rest);
            default:
                await Console.Error.WriteLineAsync(
                    """
                    usage: Enforcement.Media.Benchmarks <benchmark> [options]
                      audit [--events N] [--writers N] [--batch N] [--rounds N]   audit trail append and verification rates (needs EM_PG_CONNECTION, EM_PG_OWNER_CONNECTION)
                      renditions [--seconds 60] [--lines 1080] [--runs 3]         remux and transcode speed against bare ffmpeg
                      streaming [--reviewers 8] [--size-mb 64] [--passes 2]      ranged playback through the player against static files (needs EM_PG_*)
                    """);
                return 2;
        }
    }
}
