using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Player.Admin;
using Enforcement.Media.Storage.Media;
using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Storage.Recordings;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Enforcement.Media.Benchmarks;

/// <summary>
/// <c>streaming [--reviewers 8] [--size-mb 64] [--passes 2]</c>: N concurrent reviewers, each with its
/// own session, read a generated rendition front to back in 1 MiB ranges through the real player on
/// Kestrel (loopback, filesystem store, every range logged before it leaves). Baseline: ASP.NET Core
/// static files serving the same bytes from a file, same clients, same ranges. Prints throughput,
/// time to first byte p50/p99 and the ratio, and the playback.range audit events written per second.
/// </summary>
internal static class StreamingBenchmark
{
    private const int RangeBytes = 1 << 20;

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var reviewers = BenchmarkOptions.Int(args, "--reviewers", 8);
        var sizeMb = BenchmarkOptions.Int(args, "--size-mb", 64);
        var passes = BenchmarkOptions.Int(args, "--passes", 2);
        var schema = $"bench_stream_{Guid.NewGuid():N}"[..28];
        var folder = Directory.CreateTempSubdirectory("em-stream-bench-");
        try
        {
            var content = new byte[sizeMb * (long)RangeBytes];
            new Random(6).NextBytes(content);
            var file = Path.Combine(folder.FullName, "static", "rendition.mp4");
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await File.WriteAllBytesAsync(file, content, cancellationToken);

            await using var player = new WebApplicationFactory<global::Program>().WithWebHostBuilder(b =>
            {
                b.UseEnvironment("Benchmark");
                b.UseSetting("ConnectionStrings:Catalogue", BenchmarkOptions.Environment("EM_PG_CONNECTION"));
                b.UseSetting("ConnectionStrings:CatalogueOwner", BenchmarkOptions.Environment("EM_PG_OWNER_CONNECTION"));
                b.UseSetting("Catalogue:Schema", schema);
                b.UseSetting("Store:Kind", "FileSystem");
                b.UseSetting("Store:FileSystem:Root", Path.Combine(folder.FullName, "store"));
                b.UseSetting("Accounts:PasswordIterations", "1000");
                b.UseSetting("Accounts:BootstrapAdminPassword", "benchmark-admin-password");
                b.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning));
            });
            player.UseKestrel(0);
            player.StartServer();
            var address = new Uri(player.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            var tokens = await SeedAsync(player.Services, content, reviewers, cancellationToken);

            await using var baseline = await StaticServerAsync(Path.GetDirectoryName(file)!, cancellationToken);
            var baselineAddress = new Uri(baseline.Urls.First());

            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = reviewers * 2, UseCookies = false });
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"streaming: {reviewers} reviewers x {passes} passes over a {sizeMb} MiB rendition in 1 MiB ranges (Kestrel, loopback)"));
            var sessions = new List<Uri>();
            foreach (var token in tokens)
            {
                sessions.Add(await StartSessionAsync(http, address, token.Token, token.RecordingId, cancellationToken));
            }

            // Warm both servers once, then measure player and baseline alternately.
            await MeasureAsync(http, [.. sessions.Select((s, i) => (s, tokens[i].Token))], content.Length, 1, cancellationToken);
            await MeasureAsync(http, [.. sessions.Select(_ => (new Uri(baselineAddress, "rendition.mp4"), (string?)null))], content.Length, 1, cancellationToken);
            var eventsBefore = await RangeEventsAsync(schema, cancellationToken);
            var viaPlayer = await MeasureAsync(http, [.. sessions.Select((s, i) => (s, tokens[i].Token))], content.Length, passes, cancellationToken);
            var events = await RangeEventsAsync(schema, cancellationToken) - eventsBefore;
            var viaStatic = await MeasureAsync(http, [.. sessions.Select(_ => (new Uri(baselineAddress, "rendition.mp4"), (string?)null))], content.Length, passes, cancellationToken);

            Console.WriteLine("| measure | player | static files | ratio |");
            Console.WriteLine("|---|---|---|---|");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| throughput, MiB/s | {viaPlayer.MiBPerSecond:F0} | {viaStatic.MiBPerSecond:F0} | {viaPlayer.MiBPerSecond / viaStatic.MiBPerSecond:F2} |"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| TTFB p50, ms | {viaPlayer.P50:F2} | {viaStatic.P50:F2} | {viaPlayer.P50 / viaStatic.P50:F1} |"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| TTFB p99, ms | {viaPlayer.P99:F2} | {viaStatic.P99:F2} | {viaPlayer.P99 / viaStatic.P99:F1} |"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| ranges/s | {viaPlayer.Requests / viaPlayer.Seconds:F0} | {viaStatic.Requests / viaStatic.Seconds:F0} | |"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"playback.range audit events written: {events} in {viaPlayer.Seconds:F1} s = {events / viaPlayer.Seconds:F0} events/s (one per range served)"));
            if (events != viaPlayer.Requests)
            {
                await Console.Error.WriteLineAsync($"MISMATCH: {viaPlayer.Requests} ranges served, {events} logged");
                return 1;
            }

            return 0;
        }
        finally
        {
            await using (var admin = new NpgsqlConnection(System.Environment.GetEnvironmentVariable("EM_PG_ADMIN_CONNECTION") ?? BenchmarkOptions.Environment("EM_PG_OWNER_CONNECTION")))
            {
                await admin.OpenAsync(CancellationToken.None);
                await admin.ExecuteAsync($"DROP SCHEMA IF EXISTS {schema} CASCADE");
            }

            folder.Delete(recursive: true);
        }
    }

    private static async Task<List<(string Token, Guid RecordingId)>> SeedAsync(IServiceProvider services, byte[] content, int reviewers, CancellationToken cancellationToken)
    {
        var unit = $"BENCH{Guid.NewGuid():N}"[..20];
        await services.GetRequiredService<AdminService>().CreateUnitAsync(unit, "Benchmark unit", null, "system:benchmark", cancellationToken);
        var recording = await services.GetRequiredService<RecordingArchive>().ArchiveAsync(
            new MemoryStream(System.Text.Encoding.UTF8.GetBytes($"original {Guid.NewGuid()}")), new Delivery(SourceKind.Command, "system:benchmark", "BENCH01_000001_20261202000000.mp4", UnitCode: unit), null, cancellationToken);

        // The rendition: a sealed object and a provenance row, as the media worker would leave them.
        var store = services.GetRequiredService<IEvidenceStore>();
        var pending = await store.WriteAsync(ObjectWrite.New(ObjectKind.Rendition, "video/mp4"), new MemoryStream(content), null, cancellationToken);
        var sealedObject = await store.SealAsync(pending, new ObjectLock(TimeProvider.System.GetUtcNow().AddDays(1)), cancellationToken);
        var now = TimeProvider.System.GetUtcNow();
        await using (var connection = await services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            var objectId = await RecordingStore.InsertObjectAsync(connection, transaction, store.Name, sealedObject, ObjectKind.Rendition, "video/mp4", recording.RecordingId, now, cancellationToken);
            await DerivationStore.InsertAsync(
                connection,
                transaction,
                new Derivation(Guid.CreateVersion7(now), recording.RecordingId, DerivationRole.Playback, true, objectId, "benchmark", recording.Sha256, sealedObject.Sha256, "benchmark", "1", ["generated"], now, now, null, 1280, 720, 60, null),
                cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        var accounts = services.GetRequiredService<AccountService>();
        var tokens = new List<(string, Guid)>();
        for (var i = 0; i < reviewers; i++)
        {
            var user = await accounts.CreateAsync($"bench{i}-{Guid.NewGuid():N}"[..20], $"Reviewer {i}", unit, [Roles.Reviewer], $"pw-{Guid.NewGuid():N}", mustChangePassword: false, "system:benchmark", cancellationToken);
            tokens.Add((await accounts.IssueOwnTokenAsync(user.Id, "benchmark", cancellationToken), recording.RecordingId));
        }

        return tokens;
    }

    private static async Task<Uri> StartSessionAsync(HttpClient http, Uri address, string token, Guid recordingId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address, $"/api/v1/recordings/{recordingId}/sessions"))
        {
            Content = JsonContent.Create(new { reason = "benchmark", variant = "rendition" }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return new Uri(address, body.GetProperty("mediaUrl").GetString());
    }

    private static async Task<Result> MeasureAsync(HttpClient http, (Uri Url, string? Token)[] readers, long length, int passes, CancellationToken cancellationToken)
    {
        var firstBytes = new List<double>[readers.Length];
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(readers.Select(async (reader, index) =>
        {
            var times = firstBytes[index] = [];
            var buffer = new byte[81920];
            for (var pass = 0; pass < passes; pass++)
            {
                for (long first = 0; first < length; first += RangeBytes)
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, reader.Url);
                    request.Headers.Range = new RangeHeaderValue(first, Math.Min(first + RangeBytes, length) - 1);
                    if (reader.Token is not null)
                    {
                        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", reader.Token);
                    }

                    var started = Stopwatch.GetTimestamp();
                    using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                    response.EnsureSuccessStatusCode();
                    await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
                    var read = await body.ReadAsync(buffer, cancellationToken);
                    times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    while (read > 0)
                    {
                        read = await body.ReadAsync(buffer, cancellationToken);
                    }
                }
            }
        }));
        var seconds = clock.Elapsed.TotalSeconds;
        var all = firstBytes.SelectMany(t => t).Order().ToArray();
        return new Result(readers.Length * passes * (double)length / RangeBytes / seconds, Percentile(all, 0.50), Percentile(all, 0.99), all.Length, seconds);
    }

    private static async Task<long> RangeEventsAsync(string schema, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(BenchmarkOptions.Environment("EM_PG_OWNER_CONNECTION"));
        await connection.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT (SELECT count(*) FROM {schema}.audit_events WHERE action = 'playback.range') + (SELECT count(*) FROM {schema}.audit_outbox WHERE action = 'playback.range')",
            cancellationToken: cancellationToken));
    }

    private static async Task<WebApplication> StaticServerAsync(string root, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(root), ServeUnknownFileTypes = true });
        await app.StartAsync(cancellationToken);
        return app;
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private sealed record Result(double MiBPerSecond, double P50, double P99, int Requests, double Seconds);
}
