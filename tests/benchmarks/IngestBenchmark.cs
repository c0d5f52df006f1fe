using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Catalogue;
using Enforcement.Media.Storage.Stations;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Benchmarks;

/// <summary>
/// <c>ingest</c>: throughput of the real pipeline against a raw copy of the same bytes.
/// <list type="bullet">
/// <item>footage: <c>--files</c> files of random bytes (incompressible, like encoded video; ffprobe
/// plays no part in storing) totalling <c>--mib</c> MiB, written once to a work folder;</item>
/// <item><c>ingest files &lt;folder&gt;</c> (the real program, published as deployed, a separate
/// process) into the filesystem store and into Ceph RGW, against <c>cp</c> + <c>sync</c> and
/// <c>dd</c> + fsync of the same files (filesystem) and <c>aws s3 cp --recursive</c> to the same RGW,
/// and its start-up alone (one 1-byte file);</item>
/// <item>tus: an <c>ingest run</c> process takes each file in one PATCH and archives it by its job,
/// timed from the first byte sent to the last receipt;</item>
/// <item>SHA-256 alone over the same files.</item>
/// </list>
/// All of it in <c>--rounds</c> rounds, each pipeline right after its baseline and every copy of the
/// footage into blocks the previous copy freed (see the round loop); the table gives medians
/// and ranges (<see cref="ResultTable"/>). Every pipeline run gets a fresh catalogue schema and store
/// (the store deduplicates by content), on the PostgreSQL and Ceph RGW named by the same environment
/// variables the tests read.
/// </summary>
internal static class IngestBenchmark
{
    private const double Mega = 1_000_000d;

    /// <summary>What a round leaves in the work folder; removed before the next, so the disk never fills.</summary>
    private static readonly string[] RoundFolders = ["copy", "fs-start", "fs-files", "fs-tus", "tus-fs"];

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var totalMiB = BenchmarkOptions.Int(args, "--mib", 2048);
        var files = Math.Max(1, BenchmarkOptions.Int(args, "--files", 8));
        var rounds = Math.Max(1, BenchmarkOptions.Int(args, "--rounds", 3));
        var parallel = BenchmarkOptions.Text(args, "--parallel", "");
        var work = Path.Combine(BenchmarkOptions.Text(args, "--work", Path.GetTempPath()), $"em-ingest-bench-{Guid.NewGuid():N}"[..28]);
        var stores = BenchmarkOptions.Text(args, "--stores", "fs,s3").Split(',');
        var paths = BenchmarkOptions.Text(args, "--paths", "files,tus").Split(',');

        // --set Store__S3__PartSizeBytes=8388608 (repeatable): a setting for the ingest processes, to compare.
        var settings = args.Select((a, i) => (a, i)).Where(p => p.a == "--set" && p.i + 1 < args.Length)
            .Select(p => args[p.i + 1].Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]);
        string[] filesArguments = parallel.Length > 0 ? ["--parallel", parallel] : [];
        var readyToRun = BenchmarkOptions.Text(args, "--ready-to-run", "true") != "false";
        var footage = Path.Combine(work, "footage");
        Directory.CreateDirectory(footage);
        try
        {
            var bytes = await WriteFootageAsync(footage, files, (long)totalMiB * 1024 * 1024, cancellationToken);
            await Console.Out.WriteLineAsync($"ingest benchmark: {files} files of random bytes, {bytes / Mega:N0} MB in {work}, {rounds} rounds");

            // What is deployed (scripts/start.sh, the images) is a ReadyToRun publish; --ready-to-run false runs the plain build.
            var ingest = readyToRun ? await PublishReadyToRunAsync(Path.Combine(work, "ingest-app"), cancellationToken) : BuiltIngestDll;
            await Console.Out.WriteLineAsync($"ingest program: {ingest}");

            // Each pair (pipeline, baseline) runs in the same round, one after the other, so a change in
            // the machine's state (another build, the disk's throughput) hits both; a round starts with
            // every dirty page written back, so no earlier run's writeback is timed in the next.
            var table = new ResultTable(bytes);
            if (stores.Contains("fs"))
            {
                // So that round 1's first copy, like every later one, follows the deletion of one.
                await CopyAndSyncAsync(footage, EmptyFolder(work, "copy"), "cp", cancellationToken);
            }

            for (var round = 1; round <= rounds; round++)
            {
                await Console.Out.WriteLineAsync($"round {round}:");
                table.Add("SHA-256 alone", "(page cache)", await TimedAsync("sha256", () => HashAllAsync(footage, cancellationToken)), null, null);
                if (stores.Contains("fs"))
                {
                    // Every copy of the footage is written right after the previous one is deleted, so each
                    // reuses the blocks its predecessor freed. On this VM (ext4 mounted with discard on a
                    // thinly provisioned disk) that decides the speed: cp + sync of 2 GiB took 3.3 s into
                    // fresh blocks and 1.8 s into just-freed ones. Before, the pipeline always wrote while
                    // dd's copy still stood, and the baselines after a deletion.
                    var startUp = paths.Contains("files")
                        ? await IngestFilesAsync(ingest, "ingest start-up", [.. filesArguments, OneByteFile(work)], FileSystemStore(work, "fs-start", settings), cancellationToken)
                        : TimeSpan.Zero;
                    DeleteRoundFolders(work);
                    var copy = await TimedAsync("cp + sync", () => CopyAndSyncAsync(footage, EmptyFolder(work, "copy"), "cp", cancellationToken));
                    var userCopy = await TimedAsync("dd + fsync", () => CopyAndSyncAsync(footage, EmptyFolder(work, "copy"), "dd", cancellationToken));
                    table.Add("dd bs=4M, fsync per file (a copy through user space)", "filesystem", userCopy, "cp + sync", copy);
                    if (paths.Contains("files"))
                    {
                        DeleteRoundFolders(work);
                        var ingested = await IngestFilesAsync(ingest, "ingest files", [.. filesArguments, footage], FileSystemStore(work, "fs-files", settings), cancellationToken);
                        table.Add("ingest files", "filesystem", ingested, "cp + sync", copy);
                        table.Add("ingest files, its start-up subtracted", "filesystem", ingested - startUp, "cp + sync", copy);
                        table.Add("ingest files", "filesystem", ingested, "dd + fsync", userCopy);
                        table.AddSeconds("ingest start-up (one 1-byte file)", startUp);
                    }

                    if (paths.Contains("tus"))
                    {
                        DeleteRoundFolders(work);
                        var tus = await UploadAllAsync(ingest, footage, Path.Combine(work, "tus-fs"), FileSystemStore(work, "fs-tus", settings), cancellationToken);
                        table.Add("tus (PATCH + archive job)", "filesystem", tus, "cp + sync", copy);
                    }
                }

                if (stores.Contains("s3"))
                {
                    var awsCopy = await AwsCopyAsync(footage, cancellationToken);
                    if (paths.Contains("files"))
                    {
                        var ingested = await IngestFilesAsync(ingest, "ingest files", [.. filesArguments, footage], S3Store(settings), cancellationToken);
                        table.Add("ingest files", "Ceph RGW", ingested, "aws s3 cp", awsCopy);
                    }

                    if (paths.Contains("tus"))
                    {
                        var tus = await UploadAllAsync(ingest, footage, Path.Combine(work, "tus-s3"), S3Store(settings), cancellationToken);
                        table.Add("tus (PATCH + archive job)", "Ceph RGW", tus, "aws s3 cp", awsCopy);
                        Directory.Delete(Path.Combine(work, "tus-s3"), recursive: true);
                    }
                }
            }

            await Console.Out.WriteLineAsync();
            await Console.Out.WriteLineAsync(table.ToMarkdown());
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Writes every dirty page back, then times <paramref name="run"/>.</summary>
    private static async Task<TimeSpan> TimedAsync(string name, Func<Task> run)
    {
        await RunAsync("sync", [], null, CancellationToken.None);
        var watch = Stopwatch.StartNew();
        await run();
        await Console.Out.WriteLineAsync($"  {name}: {watch.Elapsed.TotalSeconds:F2} s");
        return watch.Elapsed;
    }

    private static string OneByteFile(string work)
    {
        var path = Path.Combine(work, $"start-up-{Guid.NewGuid():N}.bin");
        File.WriteAllBytes(path, [(byte)Random.Shared.Next(256)]);
        return path;
    }

    private static async Task<long> WriteFootageAsync(string folder, int files, long total, CancellationToken cancellationToken)
    {
        var random = new Random(3);
        var buffer = new byte[4 * 1024 * 1024];
        var written = 0L;
        for (var i = 0; i < files; i++)
        {
            var size = total / files;
            await using var file = File.Create(Path.Combine(folder, $"A{3000000 + i}_000888_202612011{i:D2}000.mp4"));
            for (var left = size; left > 0; left -= buffer.Length)
            {
                random.NextBytes(buffer);
                await file.WriteAsync(buffer.AsMemory(0, (int)Math.Min(left, buffer.Length)), cancellationToken);
            }

            written += size;
        }

        return written;
    }

    private static async Task HashAllAsync(string folder, CancellationToken cancellationToken)
    {
        foreach (var path in Directory.EnumerateFiles(folder))
        {
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1024 * 1024, FileOptions.SequentialScan);
            await SHA256.HashDataAsync(file, cancellationToken);
        }
    }

    /// <summary>
    /// The filesystem baselines, the same files into a fresh folder: <c>cp</c> then <c>sync</c> of each
    /// copy (GNU cp uses copy_file_range, so the bytes never leave the kernel), or <c>dd bs=4M</c> with
    /// an fsync per file (the bytes pass through user space, as they must for anything that hashes them).
    /// </summary>
    private static async Task CopyAndSyncAsync(string folder, string target, string tool, CancellationToken cancellationToken)
    {
        var sources = Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal).ToList();
        if (tool == "cp")
        {
            await RunAsync("cp", [.. sources, target], null, cancellationToken);
            await RunAsync("sync", [.. sources.Select(s => Path.Combine(target, Path.GetFileName(s)))], null, cancellationToken);
            return;
        }

        foreach (var source in sources)
        {
            await RunAsync("dd", [$"if={source}", $"of={Path.Combine(target, Path.GetFileName(source))}", "bs=4M", "conv=fsync", "status=none"], null, cancellationToken);
        }
    }

    /// <summary>Removes what the round's filesystem runs left (copies, stores, staging): the next run writes into the blocks they held.</summary>
    private static void DeleteRoundFolders(string work)
    {
        foreach (var folder in RoundFolders.Select(n => Path.Combine(work, n)).Where(Directory.Exists))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string EmptyFolder(string work, string name)
    {
        var folder = Path.Combine(work, name);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        return folder;
    }

    private static async Task<TimeSpan> AwsCopyAsync(string folder, CancellationToken cancellationToken)
    {
        var bucket = $"bench-raw-{Guid.NewGuid():N}"[..24];
        var environment = new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = BenchmarkOptions.Environment("EM_S3_ACCESS_KEY"),
            ["AWS_SECRET_ACCESS_KEY"] = BenchmarkOptions.Environment("EM_S3_SECRET_KEY"),
            ["AWS_DEFAULT_REGION"] = "us-east-1",
        };
        var endpoint = BenchmarkOptions.Environment("EM_S3_ENDPOINT");
        await RunAsync("aws", ["s3", "mb", $"s3://{bucket}", "--endpoint-url", endpoint], environment, cancellationToken);
        var copied = await TimedAsync("aws s3 cp", () => RunAsync("aws", ["s3", "cp", folder, $"s3://{bucket}/", "--recursive", "--only-show-errors", "--endpoint-url", endpoint], environment, cancellationToken));

        // Unlike the pipeline's (locked), the baseline's bucket can go: the OSD fills a round later.
        await RunAsync("aws", ["s3", "rb", $"s3://{bucket}", "--force", "--endpoint-url", endpoint], environment, cancellationToken);
        return copied;
    }

    private static Dictionary<string, string> FileSystemStore(string work, string name, IReadOnlyDictionary<string, string> settings) => new(settings)
    {
        ["Store__Kind"] = "FileSystem",
        ["Store__FileSystem__Root"] = Path.Combine(work, name),
    };

    private static Dictionary<string, string> S3Store(IReadOnlyDictionary<string, string> settings) => new(settings)
    {
        ["Store__Kind"] = "S3",
        ["Store__S3__ServiceUrl"] = BenchmarkOptions.Environment("EM_S3_ENDPOINT"),
        ["Store__S3__AccessKey"] = BenchmarkOptions.Environment("EM_S3_ACCESS_KEY"),
        ["Store__S3__SecretKey"] = BenchmarkOptions.Environment("EM_S3_SECRET_KEY"),
        ["Store__S3__Bucket"] = $"bench-{Guid.NewGuid():N}"[..20],
    };

    /// <summary>A migrated catalogue schema of its own, as the tests make one.</summary>
    private static async Task<(string Schema, Dictionary<string, string> Environment)> CatalogueAsync(Dictionary<string, string> store, CancellationToken cancellationToken)
    {
        var schema = $"bench_{Guid.NewGuid():N}"[..22];
        var options = new CatalogueOptions { Schema = schema };
        var appConnection = BenchmarkOptions.Environment("EM_PG_CONNECTION");
        await using var owner = CatalogueDataSource.Create(BenchmarkOptions.Environment("EM_PG_OWNER_CONNECTION"), options, NullLoggerFactory.Instance);
        await new CatalogueMigrator(owner, Options.Create(options), NullLogger<CatalogueMigrator>.Instance, CatalogueDataSource.ApplicationRoleOf(appConnection, options))
            .MigrateAsync(cancellationToken);
        var environment = new Dictionary<string, string>(store)
        {
            ["ConnectionStrings__Catalogue"] = appConnection,
            ["Catalogue__Schema"] = schema,
            ["Serilog__MinimumLevel__Default"] = "Warning",
            ["DOTNET_NOLOGO"] = "1",
        };
        return (schema, environment);
    }

    /// <summary>The real program in its own process, timed from its start (its catalogue schema is made before).</summary>
    private static async Task<TimeSpan> IngestFilesAsync(string ingest, string name, IReadOnlyList<string> arguments, Dictionary<string, string> store, CancellationToken cancellationToken)
    {
        var (_, environment) = await CatalogueAsync(store, cancellationToken);
        return await TimedAsync(name, () => RunAsync("dotnet", [ingest, "files", .. arguments], environment, cancellationToken));
    }

    /// <summary>One PATCH per file, one file after another, while the archive jobs run; done at the last receipt.</summary>
    private static async Task<TimeSpan> UploadAllAsync(string ingest, string folder, string staging, Dictionary<string, string> store, CancellationToken cancellationToken)
    {
        var (schema, environment) = await CatalogueAsync(store, cancellationToken);
        await using var catalogue = CatalogueDataSource.Create(BenchmarkOptions.Environment("EM_PG_CONNECTION"), new CatalogueOptions { Schema = schema }, NullLoggerFactory.Instance);
        var key = await new ApiKeyStore(catalogue, new AuditTrail(catalogue, TimeProvider.System), TimeProvider.System)
            .CreateAsync("BENCH-01", ApiKeyKind.Device, null, "user:benchmark", cancellationToken);
        var port = 20000 + Random.Shared.Next(20000);
        environment["Uploads__Folder"] = staging;
        environment["Uploads__MinimumFreeBytes"] = "0";
        environment["Jobs__PollInterval"] = "00:00:00.100";
        using var server = Start("dotnet", [ingest, "run", "--urls", $"http://127.0.0.1:{port}"], environment);
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = Timeout.InfiniteTimeSpan };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Token);
            client.DefaultRequestHeaders.Add("Tus-Resumable", "1.0.0");
            await WaitHealthyAsync(client, server, cancellationToken);

            await RunAsync("sync", [], null, cancellationToken);
            var watch = Stopwatch.StartNew();
            var locations = new List<string>();
            foreach (var path in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
            {
                var length = new FileInfo(path).Length;
                using var create = new HttpRequestMessage(HttpMethod.Post, "/api/v1/uploads");
                create.Headers.Add("Upload-Length", length.ToString(CultureInfo.InvariantCulture));
                create.Headers.TryAddWithoutValidation("Upload-Metadata", $"filename {Convert.ToBase64String(Encoding.UTF8.GetBytes(Path.GetFileName(path)))}");
                using var created = await client.SendAsync(create, cancellationToken);
                Require(created.StatusCode == HttpStatusCode.Created, $"POST answered {created.StatusCode}");
                var location = created.Headers.Location!.OriginalString;

                await using var content = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1024 * 1024, FileOptions.SequentialScan);
                using var patch = new HttpRequestMessage(HttpMethod.Patch, location) { Content = new StreamContent(content, 1024 * 1024) };
                patch.Content.Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");
                patch.Headers.Add("Upload-Offset", "0");
                using var patched = await client.SendAsync(patch, cancellationToken);
                Require(patched.StatusCode == HttpStatusCode.NoContent, $"PATCH answered {patched.StatusCode}");
                locations.Add(location);
            }

            var sent = watch.Elapsed;
            foreach (var location in locations)
            {
                while (true)
                {
                    using var receipt = await client.GetAsync($"{location}/receipt", cancellationToken);
                    if (receipt.StatusCode == HttpStatusCode.OK)
                    {
                        break;
                    }

                    Require(receipt.StatusCode == HttpStatusCode.Accepted, $"receipt answered {receipt.StatusCode}");
                    await Task.Delay(20, cancellationToken);
                }
            }

            await Console.Out.WriteLineAsync($"  tus: all PATCHes done at {sent.TotalSeconds:F2} s, last receipt at {watch.Elapsed.TotalSeconds:F2} s");
            return watch.Elapsed;
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync(CancellationToken.None);
        }
    }

    private static string BuiltIngestDll => Path.Combine(AppContext.BaseDirectory, "Enforcement.Media.Ingest.dll");

    /// <summary>Publishes the ingest program as scripts/start.sh does (ReadyToRun for this machine's runtime identifier).</summary>
    private static async Task<string> PublishReadyToRunAsync(string output, CancellationToken cancellationToken)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Enforcement.Media.sln")))
        {
            root = root.Parent;
        }

        var project = Path.Combine(root?.FullName ?? throw new InvalidOperationException($"No Enforcement.Media.sln above {AppContext.BaseDirectory}."), "ingest", "Enforcement.Media.Ingest.csproj");
        await RunAsync(
            "dotnet",
            ["publish", project, "-c", "Release", "-r", RuntimeInformation.RuntimeIdentifier, "--self-contained", "false", "-p:PublishReadyToRun=true", "-o", output, "-nologo", "-v", "quiet"],
            null,
            cancellationToken);
        return Path.Combine(output, "Enforcement.Media.Ingest.dll");
    }

    private static async Task WaitHealthyAsync(HttpClient client, Process server, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            Require(!server.HasExited, "ingest run exited before it was healthy");
            try
            {
                using var health = await client.GetAsync("/health", cancellationToken);
                if (health.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new TimeoutException("ingest run did not become healthy within a minute.");
    }

    private static Process Start(string program, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line)
            {
                Console.Error.WriteLine($"  [{program}] {line}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task RunAsync(string program, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken)
    {
        using var process = Start(program, arguments, environment);
        await process.WaitForExitAsync(cancellationToken);
        Require(process.ExitCode == 0, $"{program} {string.Join(' ', arguments.Take(3))} … exited with {process.ExitCode}");
    }

    private static void Require(bool condition, string problem)
    {
        if (!condition)
        {
            throw new InvalidOperationException(problem);
        }
    }
}
