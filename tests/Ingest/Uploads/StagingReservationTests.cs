using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Dapper;
using Enforcement.Media.Ingest.Hosting;
using Enforcement.Media.Ingest.Uploads;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Stations;
using Enforcement.Media.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Tests.Ingest.Uploads;

/// <summary>
/// Staging space as something promised and taken back: a key's pending limit, creates that never send
/// a byte, and started uploads that stop. The staging disk is a tmpfs of a known size wherever free
/// space decides, with a catalogue of its own, since every open upload in a catalogue counts.
/// </summary>
public sealed class StagingReservationTests(UploadServerFixture fixture) : IClassFixture<UploadServerFixture>
{
    private const long MiB = 1024 * 1024;
    private const long GiB = 1024 * MiB;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static async Task<string> DetailAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<ProblemDetails>(Token))?.Detail ?? string.Empty;

    private static async Task<HttpStatusCode> CreateStatusAsync(HttpClient client, long length)
    {
        using var response = await Tus.PostAsync(client, length);
        return response.StatusCode;
    }

    private static async Task<HttpStatusCode> StatusAsync(Task<HttpResponseMessage> request)
    {
        using var response = await request;
        return response.StatusCode;
    }

    [Fact]
    public async Task A_key_over_its_pending_limit_is_refused_with_what_to_do_while_another_key_still_creates()
    {
        await using var server = await fixture.StartServerAsync("Uploads:MaxSizeBytes=1000", "Uploads:MaxPendingBytesPerKey=1500");
        var (first, firstToken) = await fixture.CreateKeyAsync();
        var (_, secondToken) = await fixture.CreateKeyAsync(ApiKeyKind.Station, "DOCK-QUOTA");
        using var client = server.Client(firstToken);
        using var other = server.Client(secondToken);
        var open = await Tus.CreateAsync(client, 1000);
        var files = fixture.StagingFiles().Length;

        using var refused = await Tus.PostAsync(client, 600);

        Assert.Equal(HttpStatusCode.InsufficientStorage, refused.StatusCode);
        var detail = await DetailAsync(refused);
        Assert.Contains("1000 bytes in uploads not yet archived", detail, StringComparison.Ordinal);
        Assert.Contains("limit of 1500 bytes", detail, StringComparison.Ordinal);
        Assert.Contains("Finish its open uploads", detail, StringComparison.Ordinal);
        Assert.Contains("(DELETE)", detail, StringComparison.Ordinal);
        Assert.Equal(1, await fixture.ScalarAsync<long>("SELECT count(*) FROM uploads WHERE api_key_id = @Id", new { first.Id }));
        Assert.Equal(files, fixture.StagingFiles().Length);
        Assert.Equal(HttpStatusCode.Created, await CreateStatusAsync(other, 1000));

        // Terminating the open upload gives its bytes back; archiving a finished one does too.
        Assert.Equal(HttpStatusCode.NoContent, await StatusAsync(client.DeleteAsync(open, Token)));
        var content = Bytes.Random(600, 31);
        var finished = await Tus.CreateAsync(client, content.Length);
        (await Tus.PatchAsync(client, finished, 0, content)).Dispose();
        await Tus.ReceiptAsync(client, finished);
        Assert.Equal(HttpStatusCode.Created, await CreateStatusAsync(client, 1000));
    }

    [Fact]
    public async Task An_upload_that_receives_no_byte_within_ExpireUnstartedAfter_is_ended_and_its_space_is_free_again()
    {
        await using var world = await TmpfsWorld.StartAsync(fixture.Folder, 20 * MiB);
        using var owner = await world.ClientAsync(ApiKeyKind.Device);
        using var station = await world.ClientAsync(ApiKeyKind.Station);
        string unstarted;
        using (var created = await Tus.PostAsync(owner, 16 * MiB))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var expires = DateTimeOffset.Parse(created.Headers.GetValues("Upload-Expires").Single(), CultureInfo.InvariantCulture);
            var inAQuarter = TimeProvider.System.GetUtcNow().AddMinutes(15);
            Assert.InRange(expires, inAQuarter.AddMinutes(-2), inAQuarter.AddMinutes(2));
            unstarted = created.Headers.Location!.OriginalString;
        }

        var started = await Tus.CreateAsync(owner, 1000);
        (await Tus.PatchAsync(owner, started, 0, Bytes.Random(1, 32))).Dispose();
        Assert.Equal(HttpStatusCode.InsufficientStorage, await CreateStatusAsync(station, 16 * MiB));

        await world.AgeAsync(TimeSpan.FromMinutes(16), unstarted, started);
        await world.Server.Services.GetRequiredService<UploadExpiry>().SweepAsync(Token);

        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(Tus.HeadAsync(owner, unstarted)));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(Tus.PatchAsync(owner, unstarted, 0, Bytes.Random(10, 33))));
        Assert.False(File.Exists(Path.Combine(world.StagingFolder, TmpfsWorld.IdOf(unstarted))));
        Assert.Equal(1, await world.ScalarAsync<long>(
            """
            SELECT count(*) FROM (SELECT actor, action, subject_id FROM audit_outbox UNION ALL SELECT actor, action, subject_id FROM audit_events) e
            WHERE action = 'upload.expired' AND actor = 'system:uploads' AND subject_id = @Id
            """,
            new { Id = Guid.Parse(TmpfsWorld.IdOf(unstarted)).ToString() }));
        Assert.Equal(1, await Tus.OffsetAsync(owner, started));
        Assert.Equal(HttpStatusCode.Created, await CreateStatusAsync(station, 16 * MiB));
    }

    [Fact]
    public async Task A_started_upload_that_stopped_releases_its_reservation_and_resumes_only_when_its_rest_fits()
    {
        await using var world = await TmpfsWorld.StartAsync(fixture.Folder, 20 * MiB);
        using var owner = await world.ClientAsync(ApiKeyKind.Device);
        using var station = await world.ClientAsync(ApiKeyKind.Station);
        var content = Bytes.Random((int)(16 * MiB), 34);
        var idle = await Tus.CreateAsync(owner, content.Length);
        (await Tus.PatchAsync(owner, idle, 0, content[..(int)MiB])).Dispose();
        Assert.Equal(HttpStatusCode.InsufficientStorage, await CreateStatusAsync(station, 16 * MiB));

        await world.AgeAsync(TimeSpan.FromMinutes(61), idle);
        var taken = await Tus.CreateAsync(station, 16 * MiB);

        // Its rest no longer fits beside the station's reservation: refused, and what it sent is kept.
        using (var refused = await Tus.PatchAsync(owner, idle, MiB, content[(int)MiB..(int)(2 * MiB)]))
        {
            Assert.Equal(HttpStatusCode.InsufficientStorage, refused.StatusCode);
            Assert.Equal(MiB, Tus.OffsetOf(refused));
        }

        Assert.Equal(MiB, new FileInfo(Path.Combine(world.StagingFolder, TmpfsWorld.IdOf(idle))).Length);
        Assert.Equal(HttpStatusCode.NoContent, await StatusAsync(station.DeleteAsync(taken, Token)));
        Assert.Equal(HttpStatusCode.NoContent, await StatusAsync(Tus.PatchAsync(owner, idle, MiB, content[(int)MiB..(int)(2 * MiB)])));

        // Resumed, it holds the space for its rest again.
        Assert.Equal(HttpStatusCode.InsufficientStorage, await CreateStatusAsync(station, 16 * MiB));
        Assert.Equal(HttpStatusCode.NoContent, await StatusAsync(Tus.PatchAsync(owner, idle, 2 * MiB, content[(int)(2 * MiB)..])));
        Assert.Equal(Tus.Sha256Hex(content), (await Tus.ReceiptAsync(owner, idle)).Sha256);
    }

    [Fact]
    public async Task Two_header_only_creates_of_64_GiB_and_12_GB_by_one_key_no_longer_keep_another_station_out()
    {
        // The staging disk of the report: exactly room for both creates above the 1 GiB kept free.
        const long twelveGB = 12_000_000_000;
        await using var world = await TmpfsWorld.StartAsync(fixture.Folder, (64 * GiB) + twelveGB + GiB, $"Uploads:MinimumFreeBytes={GiB}");
        var (phone, phoneClient) = await world.KeyAsync(ApiKeyKind.Device);
        using var owner = phoneClient;
        using var station = await world.ClientAsync(ApiKeyKind.Station);

        Assert.Equal(HttpStatusCode.Created, await CreateStatusAsync(owner, 64 * GiB));
        using var second = await Tus.PostAsync(owner, twelveGB);
        var other = await CreateStatusAsync(station, 4_000_000_000);

        Assert.Equal(HttpStatusCode.InsufficientStorage, second.StatusCode);
        Assert.Contains("Finish its open uploads", await DetailAsync(second), StringComparison.Ordinal);
        Assert.Equal(1, await world.ScalarAsync<long>("SELECT count(*) FROM uploads WHERE api_key_id = @Id", new { phone.Id }));
        Assert.Equal(HttpStatusCode.Created, other);
        Assert.Equal(2, Directory.GetFiles(world.StagingFolder).Length);
    }

    [Fact]
    public async Task A_pending_limit_below_the_largest_upload_stops_start_up_naming_both_settings()
    {
        await using var app = IngestHost.Build(
        [
            $"--ConnectionStrings:Catalogue={TestServices.PostgresConnection}",
            $"--Catalogue:Schema={fixture.Catalogue.Schema}",
            $"--Store:FileSystem:Root={fixture.EvidenceRoot}",
            $"--Uploads:Folder={fixture.UploadFolder}",
            "--Uploads:MaxPendingBytesPerKey=1000",
            "--Serilog:MinimumLevel:Default=Fatal",
        ]);

        var invalid = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(Token));

        Assert.Contains(invalid.Failures, f => f.Contains("Uploads:MaxPendingBytesPerKey must be at least Uploads:MaxSizeBytes", StringComparison.Ordinal));
    }

    /// <summary>A catalogue of its own and the ingest app over a staging tmpfs of a given size.</summary>
    private sealed class TmpfsWorld : IAsyncDisposable
    {
        private readonly CatalogueFixture _catalogue;
        private readonly TmpfsMount _mount;

        private TmpfsWorld(CatalogueFixture catalogue, TmpfsMount mount, IngestServer server)
        {
            _catalogue = catalogue;
            _mount = mount;
            Server = server;
        }

        public IngestServer Server { get; }

        public string StagingFolder => _mount.Path;

        public static string IdOf(string location) => location.Split('/')[^1];

        public static async Task<TmpfsWorld> StartAsync(TempFolder folder, long sizeBytes, params string[] settings)
        {
            var catalogue = new CatalogueFixture();
            await catalogue.InitializeAsync();
            var mount = TmpfsMount.Create(folder.Combine(UniqueName.For("staging-")), sizeBytes / 1024);
            var server = await IngestServer.StartAsync(catalogue, mount.Path, folder.Combine("evidence"), settings);
            return new TmpfsWorld(catalogue, mount, server);
        }

        public async Task<(ApiKey Key, HttpClient Client)> KeyAsync(ApiKeyKind kind)
        {
            var keys = new ApiKeyStore(_catalogue.DataSource, new AuditTrail(_catalogue.DataSource, TimeProvider.System), TimeProvider.System);
            var issued = await keys.CreateAsync(UniqueName.For("KEY-"), kind, kind == ApiKeyKind.Station ? "DOCK-TMPFS" : null, "user:test", Token);
            return (issued.Key, Server.Client(issued.Token));
        }

        public async Task<HttpClient> ClientAsync(ApiKeyKind kind) => (await KeyAsync(kind)).Client;

        /// <summary>As if nobody had touched these uploads for <paramref name="idle"/>.</summary>
        public async Task AgeAsync(TimeSpan idle, params string[] locations)
        {
            var ids = locations.Select(l => Guid.Parse(IdOf(l))).ToArray();
            await using var connection = await _catalogue.DataSource.OpenConnectionAsync(Token);
            Assert.Equal(ids.Length, await connection.ExecuteAsync("UPDATE uploads SET updated_at = updated_at - @idle WHERE id = ANY(@ids)", new { idle, ids }));
        }

        public async Task<T> ScalarAsync<T>(string sql, object? parameters = null)
        {
            await using var connection = await _catalogue.DataSource.OpenConnectionAsync(Token);
            return await connection.ExecuteScalarAsync<T>(sql, parameters) ?? throw new InvalidOperationException($"No value from: {sql}");
        }

        public async ValueTask DisposeAsync()
        {
            await Server.DisposeAsync();
            _mount.Dispose();
            await _catalogue.DisposeAsync();
        }
    }
}
