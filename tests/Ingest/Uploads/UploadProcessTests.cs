using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Dapper;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Stations;
using Enforcement.Media.Tests.Infrastructure;

namespace Enforcement.Media.Tests.Ingest.Uploads;

/// <summary>
/// Uploads to real <c>ingest run</c> processes storing into Ceph RGW (S3 Object Lock): one killed
/// with SIGKILL mid-PATCH, and the real tus-js-client (npm) interrupted and resumed.
/// </summary>
public sealed class UploadProcessTests(CatalogueFixture catalogue, S3BucketFixture bucket) : IClassFixture<CatalogueFixture>, IClassFixture<S3BucketFixture>, IDisposable
{
    private readonly TempFolder _folder = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private string UploadFolder => _folder.Combine("uploads");

    public void Dispose() => _folder.Dispose();

    private Task<IngestProcess> StartIngestAsync() => IngestProcess.StartAsync(new Dictionary<string, string>
    {
        ["ConnectionStrings__Catalogue"] = TestServices.PostgresConnection,
        ["Catalogue__Schema"] = catalogue.Schema,
        ["Store__Kind"] = "S3",
        ["Store__S3__ServiceUrl"] = bucket.Options.ServiceUrl,
        ["Store__S3__AccessKey"] = bucket.Options.AccessKey,
        ["Store__S3__SecretKey"] = bucket.Options.SecretKey,
        ["Store__S3__Bucket"] = bucket.Options.Bucket,
        ["Uploads__Folder"] = UploadFolder,
        ["Uploads__MinimumFreeBytes"] = "0",
        ["Uploads__CheckpointBytes"] = "1048576",
        ["Jobs__PollInterval"] = "00:00:00.200",
        ["Jobs__RetryDelay"] = "00:00:01",
        ["Serilog__MinimumLevel__Default"] = "Warning",
    });

    private async Task<IssuedApiKey> CreateKeyAsync(ApiKeyKind kind) =>
        await new ApiKeyStore(catalogue.DataSource, new AuditTrail(catalogue.DataSource, TimeProvider.System), TimeProvider.System)
            .CreateAsync(UniqueName.For("KEY-"), kind, kind == ApiKeyKind.Station ? "DOCK-01" : null, "user:test", Token);

    private async Task<long> CountAsync(string sql, object? parameters = null)
    {
        await using var connection = await catalogue.DataSource.OpenConnectionAsync(Token);
        return await connection.ExecuteScalarAsync<long>(sql, parameters);
    }

    private static HttpClient Client(IngestProcess ingest, string token)
    {
        var client = new HttpClient { BaseAddress = ingest.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        client.DefaultRequestHeaders.Add("Tus-Resumable", "1.0.0");
        return client;
    }

    [Fact]
    public async Task An_ingest_process_killed_with_SIGKILL_mid_patch_resumes_in_a_new_process_and_stores_the_file_once()
    {
        var issued = await CreateKeyAsync(ApiKeyKind.Station);
        var content = Bytes.Random(6 * 1024 * 1024, 31);
        var sha256 = Tus.Sha256Hex(content);
        string location;
        string staged;

        await using (var first = await StartIngestAsync())
        {
            using var client = Client(first, issued.Token);
            location = await Tus.CreateAsync(client, content.Length, Tus.Metadata(("filename", "A123456_654321_20261122080000.mp4"), ("sha256", sha256)));
            staged = Path.Combine(UploadFolder, location.Split('/')[^1]);
            using (var half = await Tus.PatchAsync(client, location, 0, content[..(2 * 1024 * 1024)]))
            {
                Assert.Equal(HttpStatusCode.NoContent, half.StatusCode);
            }

            // A second PATCH is streaming (past a checkpoint) when the process is killed.
            using var streaming = await Tus.StartPartialPatchAsync(first.BaseAddress, location, issued.Token, 2 * 1024 * 1024, 4 * 1024 * 1024, content[(2 * 1024 * 1024)..(4 * 1024 * 1024 + 500_000)]);
            await Tus.EventuallyAsync(async () => await Tus.OffsetAsync(client, location) > 2 * 1024 * 1024, "the streaming PATCH to pass a checkpoint");
            await first.KillAsync();
        }

        await using var second = await StartIngestAsync();
        using var again = Client(second, issued.Token);
        var offset = await Tus.OffsetAsync(again, location);
        Assert.InRange(offset, 3 * 1024 * 1024, 4 * 1024 * 1024 + 500_000);

        using (var rest = await Tus.PatchAsync(again, location, offset, content[(int)offset..]))
        {
            Assert.Equal(HttpStatusCode.NoContent, rest.StatusCode);
        }

        var receipt = await Tus.ReceiptAsync(again, location);
        Assert.Equal(sha256, receipt.Sha256);
        Assert.Null(receipt.QuarantineReason);
        Assert.NotNull(receipt.VersionId);
        Assert.Equal(content, await bucket.GetVersionAsync(receipt.ObjectKey, receipt.VersionId!, Token));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM recordings WHERE sha256 = @sha256", new { sha256 }));
        Assert.Equal(1, await CountAsync(
            "SELECT count(*) FROM recording_sources WHERE api_key_id = @Id AND source_kind = 'station' AND station_id = 'DOCK-01' AND claim_verified", new { issued.Key.Id }));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM pending_writes"));
        Assert.False(File.Exists(staged));
    }

    [Fact]
    public async Task The_real_tus_js_client_interrupted_mid_upload_resumes_and_the_catalogue_has_the_right_sha256()
    {
        var script = Path.Combine(RepositoryPaths.Root, "tests", "interop", "upload.mjs");
        var module = Path.Combine(RepositoryPaths.Root, "tests", "interop", "node_modules", "tus-js-client", "package.json");
        Assert.True(File.Exists(module), $"tus-js-client is not installed at {module}: run 'npm ci' in tests/interop (scripts/test.sh does).");

        var issued = await CreateKeyAsync(ApiKeyKind.Device);
        var content = Bytes.Random(24 * 1024 * 1024, 32);
        var file = _folder.Combine("执法记录 24MiB.mp4");
        await File.WriteAllBytesAsync(file, content, Token);
        var sha256 = Tus.Sha256Hex(content);
        await using var ingest = await StartIngestAsync();
        var endpoint = new Uri(ingest.BaseAddress, "/api/v1/uploads").AbsoluteUri;
        var metadata = new Dictionary<string, string> { ["filename"] = Path.GetFileName(file), ["sha256"] = sha256, ["officer_id"] = "654321" };

        // First run: one PATCH for the whole file (tus-js-client's default), aborted at about 40%.
        var interrupted = await RunNodeAsync(script, new { endpoint, key = issued.Token, file, metadata, abortAtBytes = 10 * 1024 * 1024 });
        Assert.True(interrupted.ExitCode == 3, $"the first run should have been aborted (exit 3), got {interrupted.ExitCode}:\n{interrupted.Output}");
        var url = interrupted.Events.Last(e => e.GetProperty("event").GetString() == "url").GetProperty("url").GetString()!;

        using var client = Client(ingest, issued.Token);
        var location = new Uri(url).AbsolutePath;
        long kept = 0;
        await Tus.EventuallyAsync(
            async () =>
            {
                using var probe = await Tus.PatchAsync(client, location, 0, []);
                kept = Tus.OffsetOf(probe);
                return probe.StatusCode != (HttpStatusCode)423;
            },
            "the aborted PATCH to be accounted for");
        Assert.InRange(kept, 1, content.Length - 1);

        // Second run: resume that upload in 4 MiB chunks; tus-js-client asks the offset and continues from it.
        var resumed = await RunNodeAsync(script, new { endpoint, key = issued.Token, file, metadata, chunkSize = 4 * 1024 * 1024, resumeUrl = url });
        Assert.True(resumed.ExitCode == 0, $"the resumed run failed ({resumed.ExitCode}):\n{resumed.Output}");
        var firstPatch = resumed.Events.First(e => e.GetProperty("event").GetString() == "first-patch").GetProperty("offset").GetInt64();
        Assert.Equal(kept, firstPatch);

        var receipt = await Tus.ReceiptAsync(client, location);
        Assert.Equal(sha256, receipt.Sha256);
        Assert.Null(receipt.QuarantineReason);
        Assert.Equal(1, await CountAsync(
            "SELECT count(*) FROM recordings r JOIN recording_sources s ON s.recording_id = r.id WHERE r.sha256 = @sha256 AND s.api_key_id = @Id AND s.original_name = @Name AND s.source_kind = 'upload'",
            new { sha256, issued.Key.Id, Name = Path.GetFileName(file) }));
    }

    private static async Task<(int ExitCode, string Output, IReadOnlyList<JsonElement> Events)> RunNodeAsync(string script, object options)
    {
        var start = new ProcessStartInfo("node")
        {
            ArgumentList = { script, JsonSerializer.Serialize(options) },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(script)!,
        };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("Node.js is not installed (node not on PATH): scripts/test.sh installs it.", ex);
        }

        using (process)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Token);
            timeout.CancelAfter(TimeSpan.FromMinutes(3));
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            var output = await stdout;
            var events = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => JsonDocument.Parse(line).RootElement.Clone())
                .ToList();
            return (process.ExitCode, output + await stderr, events);
        }
    }
}
