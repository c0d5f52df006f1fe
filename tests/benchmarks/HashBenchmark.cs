using System.Diagnostics;
using System.Globalization;
using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;

namespace Enforcement.Media.Benchmarks;

/// <summary>
/// <c>hashes</c>: what each digest an S3 client could send costs one core, over the same bytes in
/// memory, in the 128 KiB slices the store's copier and writer hash (<c>HashingCopier.SliceSize</c>):
/// SHA-256 (the identity of every object, and SigV4's payload hash), MD5 (Content-MD5 and ETags) and
/// the CRCs S3 accepts as <c>x-amz-checksum-*</c> (CRC32, CRC32C, CRC64NVME) with CRC64 (ECMA-182).
/// </summary>
internal static class HashBenchmark
{
    private const int SliceSize = 128 * 1024;

    public static async Task<int> RunAsync(string[] args)
    {
        var totalMiB = BenchmarkOptions.Int(args, "--mib", 1024);
        var rounds = Math.Max(1, BenchmarkOptions.Int(args, "--rounds", 3));

        // 64 MiB of random bytes hashed over and over: larger than the CPU's caches, as footage is.
        var buffer = new byte[64 * 1024 * 1024];
        new Random(7).NextBytes(buffer);
        var total = (long)totalMiB * 1024 * 1024;
        var algorithms = new (string Name, Func<Action<ReadOnlySpan<byte>>> Start)[]
        {
            ("SHA-256 (IncrementalHash)", () => Incremental(HashAlgorithmName.SHA256)),
            ("MD5 (IncrementalHash)", () => Incremental(HashAlgorithmName.MD5)),
            ("CRC32 (System.IO.Hashing)", () => NonCryptographic(new Crc32())),
            ("CRC32C (System.IO.Hashing)", () => NonCryptographic(new Crc32(Crc32ParameterSet.Crc32C))),
            ("CRC64 ECMA-182 (System.IO.Hashing)", () => NonCryptographic(new Crc64())),
            ("CRC64NVME (System.IO.Hashing)", () => NonCryptographic(new Crc64(Crc64ParameterSet.Nvme))),
        };

        await Console.Out.WriteLineAsync($"hashes: {total / 1_000_000d:N0} MB per run, {SliceSize / 1024} KiB slices, {rounds} rounds, one thread");
        var rates = algorithms.ToDictionary(a => a.Name, _ => new List<double>());
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var (name, start) in algorithms)
            {
                var append = start();
                var watch = Stopwatch.StartNew();
                for (var done = 0L; done < total; done += SliceSize)
                {
                    var offset = (int)(done % buffer.Length);
                    append(buffer.AsSpan(offset, (int)Math.Min(SliceSize, Math.Min(total - done, buffer.Length - offset))));
                }

                rates[name].Add(total / watch.Elapsed.TotalSeconds / 1_000_000d);
                await Console.Out.WriteLineAsync($"  round {round}: {name}: {watch.Elapsed.TotalSeconds:F2} s");
            }
        }

        var sha256 = Median(rates[algorithms[0].Name]);
        var table = new StringBuilder("| digest | MB/s, median (range) | s of one core per GiB | against SHA-256 |\n|---|---|---|---|\n");
        foreach (var (name, _) in algorithms)
        {
            var median = Median(rates[name]);
            table.Append(CultureInfo.InvariantCulture, $"| {name} | {median:N0} ({rates[name].Min():N0}–{rates[name].Max():N0}) | {1073.741824 / median:F2} | {median / sha256:F1}× |\n");
        }

        await Console.Out.WriteLineAsync();
        await Console.Out.WriteLineAsync(table.ToString());
        return 0;
    }

    private static Action<ReadOnlySpan<byte>> Incremental(HashAlgorithmName algorithm)
    {
        var hash = IncrementalHash.CreateHash(algorithm);
        return hash.AppendData;
    }

    private static Action<ReadOnlySpan<byte>> NonCryptographic(NonCryptographicHashAlgorithm hash) => hash.Append;

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
