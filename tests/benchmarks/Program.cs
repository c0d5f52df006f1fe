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
            case "ingest":
                return await IngestBenchmark.RunAsync(rest, CancellationToken.None);
            case "streaming":
                return await StreamingBenchmark.RunAsync(rest, CancellationToken.None);
            case "hashes":
                return await HashBenchmark.RunAsync(rest);
            case "renditions":
                return await RenditionBenchmark.RunAsync(rest);
            case "redaction":
                return await RedactionBenchmark.RunAsync(rest);
            default:
                await Console.Error.WriteLineAsync(
                    """
                    usage: Enforcement.Media.Benchmarks <benchmark> [options]
                      audit [--events N] [--writers N] [--batch N] [--rounds N]   audit trail append and verification rates (needs EM_PG_CONNECTION, EM_PG_OWNER_CONNECTION)
                      ingest [--mib 2048] [--files 8] [--stores fs,s3] [--paths files,tus] [--set Key=Value] [--work DIR]
                                                                  ingest files and tus into the filesystem store and Ceph RGW against cp + sync and aws s3 cp (needs EM_PG_*, EM_S3_*)
                      hashes [--mib 1024] [--rounds 3]                            SHA-256, MD5 and the S3 checksum CRCs over the same bytes, MB/s of one core
                      renditions [--seconds 60] [--lines 1080] [--runs 3]         remux and transcode speed against bare ffmpeg
                      redaction [--seconds 60] [--runs 2]                         rendering three moving regions through the product against bare ffmpeg with the same graph
                      streaming [--reviewers 8] [--size-mb 64] [--passes 2]      ranged playback through the player against static files (needs EM_PG_*)
                    """);
                return 2;
        }
    }
}
