using System.Security.Cryptography;
using Dapper;
using Enforcement.Media.Ingest.Commands;
using Enforcement.Media.Ingest.Docks;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Storage.Objects.FileSystem;
using Enforcement.Media.Storage.Recordings;
using Enforcement.Media.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace Enforcement.Media.Tests.Ingest.Files;

/// <summary><c>ingest files</c> against the real catalogue and filesystem store: in process, and as the real command line.</summary>
public sealed class FilesCommandTests(CatalogueFixture catalogue) : IClassFixture<CatalogueFixture>, IDisposable
{
    private readonly TempFolder _input = new();
    private readonly TempFolder _store = new();
    private readonly StringWriter _output = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _input.Dispose();
        _store.Dispose();
        _output.Dispose();
    }

    private FileIngestion Ingestion(int concurrency = FileIngestion.DefaultConcurrency, IEvidenceStore? store = null)
    {
        store ??= new FileSystemEvidenceStore(Options.Create(new FileSystemStoreOptions { Root = _store.Path }), TimeProvider.System, NullLogger<FileSystemEvidenceStore>.Instance);
        var archive = new ArchiveHarness(catalogue, store).Archive;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(_output),
        });
        console.Profile.Width = 250;
        return new FileIngestion(archive, new DeliveryReader(TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")), new AuditTrail(catalogue.DataSource, TimeProvider.System), console, "user:test", concurrency);
    }

    private string Put(string relative, byte[] content)
    {
        var path = _input.Combine(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return path;
    }

    /// <summary>
    /// A large file of random bytes written a megabyte at a time: never held whole in this process, whose
    /// peak memory another test (LargeSparseFileTests) measures while they run side by side.
    /// </summary>
    private string PutStreamed(string relative, long size)
    {
        var path = _input.Combine(relative);
        var random = new Random(Random.Shared.Next());
        var block = new byte[1024 * 1024];
        using var file = File.Create(path);
        for (var written = 0L; written < size; written += block.Length)
        {
            random.NextBytes(block);
            file.Write(block, 0, (int)Math.Min(block.Length, size - written));
        }

        return path;
    }

    /// <summary>What the real <c>ingest</c> program needs to run against this class's catalogue and store.</summary>
    private Dictionary<string, string> CommandEnvironment() => new()
    {
        ["ConnectionStrings__Catalogue"] = TestServices.PostgresConnection,
        ["Catalogue__Schema"] = catalogue.Schema,
        ["Store__Kind"] = "FileSystem",
        ["Store__FileSystem__Root"] = _store.Path,
        ["NO_COLOR"] = "1",
    };

    private static byte[] Unique(int length = 50_000) => Bytes.Random(length, Random.Shared.Next());

    private static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    private async Task<T> ScalarAsync<T>(string sql, object parameters)
    {
        await using var connection = await catalogue.DataSource.OpenConnectionAsync(Token);
        return (await connection.ExecuteScalarAsync<T>(new CommandDefinition(sql, parameters, cancellationToken: Token)))!;
    }

    [Fact]
    public async Task Files_and_folders_are_ingested_recursively_with_their_sidecars_read_and_every_source_left_in_place()
    {
        var clip = Unique();
        var photo = Unique();
        var loose = Unique();
        var clipPath = Put("bay01/DCIM/A123456_012345_20261122080000_IMP.mp4", clip);
        Put("bay01/DCIM/A123456_012345_20261122080000_IMP.mp4.json", System.Text.Encoding.UTF8.GetBytes($$"""{ "caseCode": "case-42", "sha256": "{{Sha256(clip)}}" }"""));
        Put("bay01/DCIM/A123456_012345_20261122080001.jpg", photo);
        var loosePath = Put("elsewhere/interview room 3.mov", loose);

        var results = await Ingestion().IngestAsync([_input.Combine("bay01"), loosePath], Token);

        Assert.Equal(0, FileIngestion.ExitCode(results));
        Assert.Equal(3, results.Count);
        Assert.All(results, r => Assert.Equal(ArchiveOutcome.Stored, r.Archived!.Outcome));
        Assert.Equal("case-42", await ScalarAsync<string>("SELECT case_code FROM recording_sources WHERE original_path = @clipPath", new { clipPath }));
        Assert.True(await ScalarAsync<bool>("SELECT claim_verified FROM recording_sources WHERE original_path = @clipPath", new { clipPath }));
        Assert.True(await ScalarAsync<bool>("SELECT important FROM recordings WHERE sha256 = @sha256", new { sha256 = Sha256(clip) }));
        Assert.Equal("command", await ScalarAsync<string>("SELECT source_kind FROM recording_sources WHERE original_path = @loosePath", new { loosePath }));
        Assert.Equal("user:test", await ScalarAsync<string>("SELECT actor FROM audit_outbox a JOIN recordings r ON a.subject_id = r.id::text WHERE r.sha256 = @sha256", new { sha256 = Sha256(photo) }));
        Assert.Equal(4, Directory.EnumerateFiles(_input.Path, "*", SearchOption.AllDirectories).Count());
        var output = _output.ToString();
        foreach (var content in new[] { clip, photo, loose })
        {
            Assert.Contains(Sha256(content), output, StringComparison.Ordinal);
        }

        Assert.Contains("3 stored, 0 already held, 0 quarantined, 0 failed", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_path_is_reported_without_stopping_the_others_and_the_exit_code_says_so()
    {
        var before = Unique();
        var after = Unique();
        var beforePath = Put("a.mp4", before);
        var afterPath = Put("z.mp4", after);

        // /proc/self/mem opens fine and then fails to read at offset 0 (EIO): a real I/O error mid-file.
        var results = await Ingestion().IngestAsync([beforePath, _input.Combine("not-there"), "/proc/self/mem", afterPath], Token);

        Assert.Equal(FileIngestion.ExitFailed, FileIngestion.ExitCode(results));
        Assert.Equal([beforePath, _input.Combine("not-there"), "/proc/self/mem", afterPath], results.Select(r => r.Path));
        Assert.Equal("no such file or folder", results[1].Failure);
        Assert.StartsWith("IOException", results[2].Failure, StringComparison.Ordinal);
        Assert.Equal(Sha256(before), results[0].Archived!.Sha256.Hex);
        Assert.Equal(Sha256(after), results[3].Archived!.Sha256.Hex);
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM pending_writes WHERE delivery->>'originalPath' = '/proc/self/mem'", new { }));
        Assert.Contains("failed: no such file or folder", _output.ToString(), StringComparison.Ordinal);
        Assert.Contains("2 stored, 0 already held, 0 quarantined, 2 failed", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_station_hash_mismatch_is_stored_quarantined_and_exits_with_3_when_nothing_failed()
    {
        var path = Put("clip.mp4", Unique());
        Put("clip.mp4.json", "{ \"md5\": \"ffffffffffffffffffffffffffffffff\" }"u8.ToArray());

        var results = await Ingestion().IngestAsync([_input.Path], Token);

        Assert.Equal(FileIngestion.ExitQuarantined, FileIngestion.ExitCode(results));
        Assert.Contains("reported MD5", Assert.Single(results).Archived!.QuarantineReason, StringComparison.Ordinal);
        Assert.Contains("QUARANTINED (stored)", _output.ToString(), StringComparison.Ordinal);
        Assert.True(File.Exists(path));
    }

    [Fact]
    public async Task A_file_named_twice_is_ingested_once_and_the_same_content_under_another_name_is_already_held()
    {
        var content = Unique();
        var path = Put("one.mp4", content);
        Put("copy/two.mp4", content);

        var results = await Ingestion().IngestAsync([path, _input.Path, path], Token);

        // Both files may be in flight at once: which name wins the race to store is not fixed, that exactly one does is.
        Assert.Equal(2, results.Count);
        Assert.Equal([ArchiveOutcome.Stored, ArchiveOutcome.AlreadyHeld], results.Select(r => r.Archived!.Outcome).Order());
        Assert.Contains("already held (source added)", _output.ToString(), StringComparison.Ordinal);
        Assert.Equal(2L, await ScalarAsync<long>("SELECT count(*) FROM recording_sources s JOIN recordings r ON r.id = s.recording_id WHERE r.sha256 = @sha256", new { sha256 = Sha256(content) }));
    }

    [Fact]
    public async Task Many_files_at_once_are_each_stored_once_and_reported_in_the_order_given()
    {
        var contents = Enumerable.Range(0, 12).Select(i => Unique(40_000 + (i * 7_919))).ToList();
        var paths = contents.Select((c, i) => Put($"bay{i % 3}/clip{i:D2}.mp4", c)).ToList();
        var twin = Put("bay9/twin of clip00.mp4", contents[0]);

        var results = await Ingestion(concurrency: 4).IngestAsync([.. paths, twin], Token);

        Assert.Equal(0, FileIngestion.ExitCode(results));
        Assert.Equal([.. paths, twin], results.Select(r => r.Path));
        Assert.Equal([.. contents.Select(Sha256), Sha256(contents[0])], results.Select(r => r.Archived!.Sha256.Hex));
        Assert.Equal(12, results.Count(r => r.Archived!.Outcome == ArchiveOutcome.Stored));
        Assert.Equal(results[0].Archived!.RecordingId, results[^1].Archived!.RecordingId);
        var shas = contents.Select(Sha256).ToArray();
        Assert.Equal(12L, await ScalarAsync<long>("SELECT count(*) FROM recordings WHERE sha256 = ANY(@shas)", new { shas }));
        Assert.Equal(13L, await ScalarAsync<long>("SELECT count(*) FROM recording_sources s JOIN recordings r ON r.id = s.recording_id WHERE r.sha256 = ANY(@shas)", new { shas }));
        Assert.Equal(12, Directory.EnumerateFiles(Path.Combine(_store.Path, "objects"), "*", SearchOption.AllDirectories).Count());
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_store.Path, "staging")));
    }

    [Fact]
    public async Task Names_that_look_like_console_markup_are_shown_as_they_are()
    {
        Put("[red]alarm[/] {0} 录像.mp4", Unique());
        Put("[", Unique());

        var results = await Ingestion().IngestAsync([_input.Path], Token);

        Assert.Equal(0, FileIngestion.ExitCode(results));
        Assert.Contains("[red]alarm[/] {0} 录像.mp4", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_command_line_runs_end_to_end_and_exits_non_zero_when_a_file_failed()
    {
        var content = Unique();
        var path = Put("A123456_012345_20261122080000.mp4", content);
        var environment = CommandEnvironment();

        var (exitCode, stdout, stderr) = await ExternalCommand.RunAsync(
            "dotnet", [Path.Combine(AppContext.BaseDirectory, "Enforcement.Media.Ingest.dll"), "files", path, _input.Combine("missing.mp4")], environment, _input.Path, Token);

        Assert.True(exitCode == FileIngestion.ExitFailed, $"exit {exitCode}\n{stdout}\n{stderr}");
        Assert.Contains(Sha256(content), stdout, StringComparison.Ordinal);
        Assert.Contains("1 stored, 0 already held, 0 quarantined, 1 failed", stdout, StringComparison.Ordinal);
        Assert.Equal($"user:{Environment.UserName}", await ScalarAsync<string>("SELECT actor FROM audit_outbox a JOIN recordings r ON a.subject_id = r.id::text WHERE r.sha256 = @sha256", new { sha256 = Sha256(content) }));
        Assert.True(File.Exists(path));
    }

    [Fact]
    public async Task Redirected_output_keeps_each_recordings_row_on_one_line()
    {
        const string name = "A7654321_054321_20261122093000_IMP.mp4";
        var path = Put(name, Unique());
        var environment = CommandEnvironment();
        var dll = Path.Combine(AppContext.BaseDirectory, "Enforcement.Media.Ingest.dll");
        var (stored, _, storeErrors) = await ExternalCommand.RunAsync("dotnet", [dll, "files", path], environment, _input.Path, Token);
        Assert.True(stored == 0, storeErrors);

        var (exitCode, stdout, stderr) = await ExternalCommand.RunAsync("dotnet", [dll, "recordings", "list"], environment, _input.Path, Token);

        Assert.True(exitCode == 0, $"exit {exitCode}\n{stdout}\n{stderr}");
        var row = Assert.Single(stdout.Split('\n'), line => line.Contains(name, StringComparison.Ordinal));
        Assert.Contains("A7654321", row.Replace(name, "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("054321", row.Replace(name, "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_interrupt_abandons_the_files_in_flight_starts_no_other_and_still_prints_the_summary()
    {
        // One small file, then large ones: the interrupt comes once the first is catalogued.
        var first = Put("a-first.mp4", Unique(100_000));
        string[] large = [.. Enumerable.Range(1, 3).Select(i => PutStreamed($"b-large-{i}.mp4", 150 * 1024 * 1024))];
        var environment = CommandEnvironment();
        var dll = Path.Combine(AppContext.BaseDirectory, "Enforcement.Media.Ingest.dll");

        var (exitCode, stdout, stderr) = await ExternalCommand.RunAsync("dotnet", [dll, "files", "--parallel", "1", _input.Path], environment, _input.Path, Token, async pid =>
        {
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (await ScalarAsync<long>("SELECT count(*) FROM recording_sources WHERE original_path = @first", new { first }) == 0)
            {
                Assert.True(waited.Elapsed < TimeSpan.FromMinutes(1), "the first file was never catalogued");
                await Task.Delay(10, Token);
            }

            // SIGTERM, handled exactly as Ctrl-C's SIGINT: a test run started in the background (as CI may
            // start scripts/test.sh) passes SIGINT on as ignored, and .NET keeps an ignored SIGINT ignored.
            var (killed, _, killError) = await ExternalCommand.RunAsync("kill", ["-TERM", $"{pid}"], null, null, Token);
            Assert.True(killed == 0, killError);
        });

        Assert.True(exitCode == FileIngestion.ExitInterrupted, $"exit {exitCode}\n{stdout}\n{stderr}");
        var rows = stdout.Split('\n');
        Assert.Contains(rows, line => line.Contains("a-first.mp4", StringComparison.Ordinal) && line.Contains("stored", StringComparison.Ordinal));
        Assert.Contains(rows, line => line.Contains("b-large-3.mp4", StringComparison.Ordinal) && line.Contains("not done: interrupted", StringComparison.Ordinal));
        Assert.Contains("not done (interrupted)", stdout, StringComparison.Ordinal);

        // What the summary says stored is exactly what the catalogue holds; nothing half-written is left.
        var reportedStored = rows.Count(line => line.Contains(".mp4", StringComparison.Ordinal) && line.Contains("│ stored", StringComparison.Ordinal));
        var catalogued = await ScalarAsync<long>("SELECT count(*) FROM recording_sources WHERE original_path = ANY(@paths)", new { paths = large.Append(first).ToArray() });
        Assert.Equal(reportedStored, catalogued);
        Assert.Equal(0, await ScalarAsync<long>("SELECT count(*) FROM pending_writes", new { }));
        var staging = Path.Combine(_store.Path, "staging");
        Assert.Empty(Directory.Exists(staging) ? Directory.EnumerateFiles(staging, "*", SearchOption.AllDirectories) : []);
        Assert.All(large, path => Assert.Equal(150 * 1024 * 1024, new FileInfo(path).Length));
    }

    [Fact]
    public async Task Once_the_store_stops_answering_no_further_file_is_started_recovery_clears_the_timed_out_write_and_a_second_run_stores_them_all()
    {
        // Ceph RGW behind a relay that swallows every byte, as a hung server (or a full OSD) does.
        await using var relay = new TcpRelay(new Uri(TestServices.S3Endpoint));
        var bucket = UniqueName.For("t-");
        using var store = S3BucketFixture.NewStore(S3BucketFixture.Through(relay, bucket, TimeSpan.FromSeconds(1)));
        await store.EnsureReadyAsync(Token);
        var contents = Enumerable.Range(1, 4).ToDictionary(i => Put($"clip-{i}.mp4", Unique()), _ => Array.Empty<byte>());
        foreach (var path in contents.Keys)
        {
            contents[path] = await File.ReadAllBytesAsync(path, Token);
        }

        relay.Stall();
        var results = await Ingestion(concurrency: 1, store).IngestAsync([_input.Path], Token);

        Assert.StartsWith(nameof(EvidenceStoreTimeoutException), results[0].Failure, StringComparison.Ordinal);
        Assert.All(results.Skip(1), r => Assert.Equal($"not started: the evidence store timed out on {results[0].Path}; run again once it answers", r.Failure));
        Assert.Equal(FileIngestion.ExitFailed, FileIngestion.ExitCode(results));
        Assert.Contains("not started: the evidence store timed out", _output.ToString(), StringComparison.Ordinal);
        Assert.All(contents, file => Assert.Equal(file.Value, File.ReadAllBytes(file.Key)));

        // The timed-out write stays pending (the server may still have completed it): once its lease
        // lapses and the server answers, recovery abandons it.
        Assert.Equal(["writing"], await PendingStatesAsync());
        relay.Resume();
        using var answering = S3BucketFixture.NewStore(S3BucketFixture.For(bucket));
        Assert.Equal(1, await ScalarAsync<long>("WITH expired AS (UPDATE pending_writes SET lease_expires_at = now() - interval '1 second' RETURNING 1) SELECT count(*) FROM expired", new { }));
        Assert.Equal(1, await new ArchiveHarness(catalogue, answering).Archive.RecoverAbandonedAsync(Token));
        Assert.Empty(await PendingStatesAsync());

        // Again once the server answers, with the default timeout (a loaded test run may take a second).
        var again = await Ingestion(concurrency: 1, answering).IngestAsync([_input.Path], Token);

        Assert.All(again, r => Assert.Equal(ArchiveOutcome.Stored, r.Archived?.Outcome));
        Assert.Equal(0, FileIngestion.ExitCode(again));
    }

    private async Task<List<string>> PendingStatesAsync()
    {
        await using var connection = await catalogue.DataSource.OpenConnectionAsync(Token);
        return [.. await connection.QueryAsync<string>(new CommandDefinition("SELECT state FROM pending_writes", cancellationToken: Token))];
    }

    [Theory]
    [InlineData("0")]
    [InlineData("17")]
    [InlineData("many")]
    public async Task A_parallelism_outside_1_to_16_is_refused_before_anything_is_read(string parallel)
    {
        var path = Put("clip.mp4", Unique());

        var (exitCode, stdout, stderr) = await ExternalCommand.RunAsync(
            "dotnet", [Path.Combine(AppContext.BaseDirectory, "Enforcement.Media.Ingest.dll"), "files", "--parallel", parallel, path], new Dictionary<string, string> { ["NO_COLOR"] = "1" }, _input.Path, Token);

        Assert.True(exitCode != 0, $"exit {exitCode}\n{stdout}\n{stderr}");
        Assert.Contains("--parallel", stdout + stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("stored", stdout, StringComparison.Ordinal);
    }
}
